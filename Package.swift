// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "connwiz",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "connwiz", targets: ["connwiz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Tests only: generated inputs for the loaders (fuzzing in the suite).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: Core modules (one per box of docs/architecture.md)

        /// Connector schema model, YAML loading with file:line:column errors, lint, and the catalog.
        .target(
            name: "ConnectorSchema",
            dependencies: [.product(name: "Yams", package: "Yams")],
            plugins: ["EmbedConnectors"]
        ),
        /// The pure form state machine: (state, event) -> state + effects.
        .target(
            name: "FormEngine",
            dependencies: ["ConnectorSchema"]
        ),
        /// Resolving drafts into HTTP settings, the encrypted store, Celigo document export.
        .target(
            name: "ConnectionCore",
            dependencies: [
                "ConnectorSchema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        /// The use cases, once for every front end: test a draft or a saved connection, save
        /// under the --test policy, delete with its logs, export, HAR; I/O injected.
        .target(
            name: "Connections",
            dependencies: ["ConnectorSchema", "FormEngine", "ConnectionCore"]
        ),
        /// The offline emulator of integrator.io, Celonis and Salesforce, served on loopback.
        .target(
            name: "Sandbox",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),

        /// The stand-ins connector files declare (`standIn:`), answered by the sandbox with no
        /// Swift of their own: each account resolved through its connector.
        .target(
            name: "StandIns",
            dependencies: ["ConnectorSchema", "FormEngine", "ConnectionCore", "Sandbox",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "_CryptoExtras", package: "swift-crypto")]
        ),

        // MARK: Front ends

        /// The ncursesw calls the terminal front end uses, with a shim for macros Swift cannot import.
        .target(
            name: "CNCurses",
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        /// The full-screen terminal front end: a cell buffer behind a driver protocol, an ncurses
        /// driver that flushes it, and a recording driver for screen snapshots.
        .target(
            name: "TerminalUI",
            dependencies: ["CNCurses", "ConnectorSchema", "FormEngine", "ConnectionCore", "Connections"]
        ),

        /// The plain line-prompt front end (`--plain`, `TERM=dumb`, or no terminal).
        .target(
            name: "PromptUI",
            dependencies: ["ConnectorSchema", "FormEngine"]
        ),

        // MARK: Executables

        .executableTarget(
            name: "connwiz",
            dependencies: [
                "ConnectorSchema", "FormEngine", "ConnectionCore", "Connections", "PromptUI", "TerminalUI", "Sandbox", "StandIns",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // AnswerOptions reads answers files with Yams itself.
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // MARK: Build tools

        /// Turns the YAML files in Connectors/ into JSON string literals so the binary is self-contained
        /// and decodes its built-in connectors fast at start-up.
        .executableTarget(
            name: "ConnwizEmbedTool",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .plugin(
            name: "EmbedConnectors",
            capability: .buildTool(),
            dependencies: ["ConnwizEmbedTool"]
        ),

        // MARK: Tests

        /// Shared helpers: temporary homes, running the built binary, secret searches.
        .target(name: "TestSupport", dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                   .product(name: "Crypto", package: "swift-crypto")], path: "Tests/TestSupport"),
        .testTarget(name: "ConnectorSchemaTests", dependencies: ["ConnectorSchema", "TestSupport"]),
        .testTarget(name: "FormEngineTests", dependencies: ["FormEngine", "ConnectorSchema", "PromptUI", "TestSupport"]),
        .testTarget(name: "ConnectionCoreTests", dependencies: ["ConnectionCore", "FormEngine", "ConnectorSchema", "Sandbox", "TestSupport",
                                                                .product(name: "PropertyBased", package: "swift-property-based")],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ConnectionsTests", dependencies: ["Connections", "ConnectionCore", "FormEngine", "ConnectorSchema", "Sandbox", "StandIns", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Connections", "ConnectionCore", "ConnectorSchema", "FormEngine", "Sandbox", "TestSupport"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "ConnwizEndToEndTests", dependencies: ["connwiz", "TestSupport", "Sandbox", "ConnectorSchema", "FormEngine"]),
    ],
    swiftLanguageModes: [.v6]
)
