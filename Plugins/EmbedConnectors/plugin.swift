import Foundation
import PackagePlugin

/// Embeds the package's `Connectors/*.yaml` (and `*.yml`) files into the target as Swift string literals.
@main
struct EmbedConnectors: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "Connectors")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        let inputs = names.map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedConnectorFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) connector files",
                executable: try context.tool(named: "ConnwizEmbedTool").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs + [folder],
                outputFiles: [output]
            ),
        ]
    }
}
