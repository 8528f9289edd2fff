import ConnectionCore
import Foundation

/// Opens a web page for the operator (the OAuth 2.0 sign-in of Save & authorize). Injected
/// so that tests play the browser themselves.
public protocol BrowserOpener: Sendable {
    /// Opens `url`; false when no browser can be opened here (no display, over SSH), and the
    /// caller shows the address instead.
    func open(_ url: String) -> Bool
}

/// The operator's browser: `$BROWSER`, else `xdg-open` (`open` on macOS), never over SSH or
/// without a display, where a browser would open on the wrong machine or not at all.
public struct SystemBrowser: BrowserOpener {
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The command that would be run, or nil when none should be.
    public var command: [String]? {
        if environment["SSH_CONNECTION"] != nil || environment["SSH_TTY"] != nil { return nil }
        if let browser = environment["BROWSER"], !browser.isEmpty { return [browser] }
        #if os(macOS)
        return ["/usr/bin/open"]
        #else
        guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else { return nil }
        return ["xdg-open"]
        #endif
    }

    public func open(_ url: String) -> Bool {
        guard let command else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command + [url]
        process.environment = ChildEnvironment.cleaned(environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        return true
    }
}
