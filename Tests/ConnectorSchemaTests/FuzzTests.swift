import ConnectorSchema
import Foundation
import PropertyBased
import Testing
import TestSupport

/// Generated broken inputs for the connector-file and answers-file readers (issue:
/// hardening): 25,000 each, made from real files by a seeded mutator. Neither may crash or
/// hang, and every refusal is one located line.
@Suite("Fuzzing the readers")
struct FuzzTests {
    static let connectorSeeds: [[UInt8]] = ["celigo-integrator-io.yaml", "celonis.yaml", "certinia.yaml", "http-token.yaml"].map {
        Array(FileManager.default.contents(atPath: Fixtures.connectorFile($0)) ?? Data())
    }
    static let answersSeeds: [[UInt8]] = [
        "name: Celonis EU\napiType: intelligence\ndomain: acme.eu-1\nauthType: oauth2\noauth2Client: {clientId: abc, clientSecret: env:S}\nscopes: [studio, integration.data-pools]\n",
        "{\"name\": \"IO\", \"region\": \"europe\", \"token\": \"env:T\"}\n",
        "name: &n Certinia\nusername: *n\nconcurrencyLevel: 5\n",
    ].map { Array($0.utf8) }

    @Test func connectorFilesNeverCrashAndEveryProblemIsOneLocatedLine() async {
        await propertyCheck(count: 25_000, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            // CPU-bound work: let the suite's other tests (and their timeouts) have the threads too.
            await Task.yield()
            var mutator = Mutator(seed: seed)
            let bytes = mutator.mutate(Self.connectorSeeds[Int(seed % 4)])
            guard let text = String(bytes: bytes, encoding: .utf8) else { return }
            let result = SchemaLoader.load(text: text, file: "fuzz.yaml")
            for diagnostic in result.diagnostics {
                let line = diagnostic.description
                #expect(line.hasPrefix("fuzz.yaml:") && !line.contains("\n"), "seed \(seed): \(line)")
            }
        }
    }

    @Test func answersFilesNeverCrashAndEveryRefusalIsOneLine() async {
        await propertyCheck(count: 25_000, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            // CPU-bound work: let the suite's other tests (and their timeouts) have the threads too.
            await Task.yield()
            var mutator = Mutator(seed: seed)
            let bytes = mutator.mutate(Self.answersSeeds[Int(seed % 3)])
            do { _ = try AnswersDocument.parse(Data(bytes), file: "fuzz.yaml") } catch let problem as SchemaDiagnostic {
                #expect(problem.description.hasPrefix("fuzz.yaml:") && !problem.description.contains("\n"), "seed \(seed): \(problem)")
            } catch {
                Issue.record("seed \(seed): an unnamed error \(error)")
            }
        }
    }
}
