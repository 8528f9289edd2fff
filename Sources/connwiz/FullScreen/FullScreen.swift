import ConnectionCore
import Connections
import Foundation
import TerminalUI

/// Runs the full-screen front end on the terminal and gives the terminal back whatever
/// happens; then prints what the session did. A save made with `--test --save-anyway` after a
/// failed test ends the command with status 1, as it does with line prompts.
enum FullScreen {
    static func run(_ start: FullScreenApp.Start, driver: NCursesDriver, workspace: Workspace, checks: CheckOptions,
                    signIn: SignInChoice = SignInChoice()) async throws -> FullScreenApp.Ending {
        let guardTime: UInt64
        do {
            guardTime = try typeAheadGuard(workspace.environment)
        } catch {
            driver.shutdown()     // the terminal is given back before the message
            throw error
        }
        let cases = workspace.useCases(checks.network, drawing: true)
        let app = FullScreenApp(driver: driver, cases: cases, options: FullScreenApp.Options(policy: checks.policy, typeAheadGuard: guardTime,
                                                                                           signIn: signIn.method, signInTimeout: signIn.timeout))
        let ending: FullScreenApp.Ending
        do {
            ending = try await app.run(start)
        } catch {
            driver.shutdown()
            await cases.transport.close()
            for line in app.farewell { Output.print(line) }
            if error is FullScreenApp.TerminalGone { throw CLIFailure.failed("the terminal went away; nothing more was saved") }
            throw error
        }
        driver.shutdown()
        await cases.transport.close()
        for line in app.farewell { Output.print(line) }
        if app.savedAfterFailedTest { throw CLIFailure.quiet(1) }
        return ending
    }

    /// How long after a step appears a key that would act is taken as typed ahead:
    /// `CONNWIZ_TYPEAHEAD_MS` (0 to 2000; 0 turns the guard off, as scripted tests do), else 150.
    static func typeAheadGuard(_ environment: [String: String]) throws -> UInt64 {
        guard let text = environment["CONNWIZ_TYPEAHEAD_MS"], !text.isEmpty else { return 150 }
        guard let value = UInt64(text), value <= 2000 else {
            throw CLIFailure.usage("CONNWIZ_TYPEAHEAD_MS is “\(ServiceText.printable(text))”; give a whole number of milliseconds from 0 to 2000")
        }
        return value
    }
}
