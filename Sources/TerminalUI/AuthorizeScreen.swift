import ConnectionCore
import Connections

/// Save & authorize in the full screen: the sign-in address as one unbroken line (so a mouse
/// copy over SSH carries it whole), a countdown, `p` to paste the address the browser ended
/// on, `c` to copy the address by OSC 52, `w` to write it to a file, `d` to sign in with a
/// code on another device instead (where the connector offers it), and Esc to cancel; or a
/// device's code and page. When it ends, the outcome stays until a key.
public struct AuthorizeScreen: Sendable {
    public enum Phase: Sendable, Equatable {
        case starting
        case browser(BrowserSignIn)
        case device(DeviceCodePrompt)
        case exchanging
        case ended(text: String, hint: String?, passed: Bool)
    }

    public enum Outcome: Equatable, Sendable {
        case stay
        /// Stop the sign-in (Esc, Ctrl-C).
        case cancel
        /// The operator pasted the address the browser ended on.
        case paste(String)
        /// The outcome was read; leave.
        case done
        /// Hand this address to the terminal's clipboard.
        case copy(String)
        /// Write this address to a file.
        case write(String)
        /// Stop the browser sign-in and sign in with a code on another device.
        case useDevice
    }

    public let name: String
    public private(set) var phase: Phase = .starting
    /// A line under the address: a refused paste, the device's polling.
    public var note: String?
    /// Seconds left to wait, drawn in the status line.
    public var secondsLeft: Int?
    /// Typing a pasted address (nil when not).
    public private(set) var pasting: LineEditor?

    /// The connector offers the device flow, so `d` switches to it from the browser.
    public let offersDevice: Bool

    public init(name: String, offersDevice: Bool = false) {
        self.name = name
        self.offersDevice = offersDevice
    }

    /// The address the operator is asked to open, while one is shown.
    public var address: String? {
        switch phase {
        case .browser(let signIn): return signIn.url
        case .device(let prompt): return prompt.sandboxURI ?? prompt.completeURI ?? prompt.verificationURI
        case .starting, .exchanging, .ended: return nil
        }
    }

    private var isBrowser: Bool {
        if case .browser = phase { return true }
        return false
    }

    public var hasEnded: Bool {
        if case .ended = phase { return true }
        return false
    }

    /// Takes what the sign-in reports; nothing changes once it has ended.
    public mutating func show(_ progress: AuthorizationProgress) {
        guard !hasEnded else { return }
        switch progress {
        case .waitingForBrowser(let signIn): phase = .browser(signIn)
        case .pasteRejected(let why): note = why + "."
        case .device(let prompt): phase = .device(prompt)
        case .devicePoll(.pending): note = "Nobody has signed in with the code yet (authorization_pending)."
        case .devicePoll(.slowDown(let interval)): note = "The service asked for slower polling (slow_down): every \(interval) s."
        case .devicePoll(.code): break
        case .exchanging:
            phase = .exchanging
            pasting = nil
            note = nil
        }
    }

    public mutating func end(_ text: String, hint: String?, passed: Bool) {
        phase = .ended(text: text, hint: hint, passed: passed)
        pasting = nil
        secondsLeft = nil
    }

    public mutating func handle(_ key: Key) -> Outcome {
        if hasEnded {
            switch key {
            case .enter, .escape, .character("q"), .control("c"): return .done
            default: return .stay
            }
        }
        if var editor = pasting {
            switch key {
            case .enter:
                pasting = nil
                return editor.text.isEmpty ? .stay : .paste(editor.text)
            case .escape:
                pasting = nil
                return .stay
            case .control("c"):
                return .cancel
            default:
                _ = editor.apply(key)
                pasting = editor
                return .stay
            }
        }
        switch key {
        case .escape, .control("c"):
            return .cancel
        case .character("p"):
            if case .browser = phase { pasting = LineEditor(limit: 16_384) }
            return .stay
        case .character("c"):
            return address.map(Outcome.copy) ?? .stay
        case .character("w"):
            return address.map(Outcome.write) ?? .stay
        case .character("d"):
            if offersDevice, case .browser = phase { return .useDevice }
            return .stay
        default:
            return .stay
        }
    }

    /// Whether a key typed ahead would act: everything but text typed into the paste line.
    public func keyActs(_ key: Key) -> Bool {
        if pasting != nil, key.isText { return false }
        return true
    }

    public var stepMark: AnyHashable {
        let step: String
        switch phase {
        case .starting: step = "starting"
        case .browser: step = pasting == nil ? "browser" : "pasting"
        case .device: step = "device"
        case .exchanging: step = "exchanging"
        case .ended: step = "ended"
        }
        return AnyHashable(["authorize", step])
    }

    public func render(into buffer: inout CellBuffer) {
        if ScreenLayout.tooSmall(&buffer) { return }
        let width = buffer.width - 4
        var row = 2
        func line(_ text: String, tone: Tone = .normal, indent: Int = 2) {
            for piece in ViewLogScreen.wrapped(text, width: max(1, width - indent + 2)) where row < buffer.height - 2 {
                buffer.put(piece, row: row, column: indent, tone: tone)
                row += 1
            }
        }
        /// Words kept whole where they fit.
        func words(_ text: String, tone: Tone = .normal) {
            var current = ""
            for word in text.split(separator: " ") {
                if !current.isEmpty, DisplayWidth.of(current) + 1 + DisplayWidth.of(String(word)) > width {
                    line(current, tone: tone)
                    current = ""
                }
                current += (current.isEmpty ? "" : " ") + word
            }
            if !current.isEmpty { line(current, tone: tone) }
        }
        var help = "Esc cancel"
        switch phase {
        case .starting:
            words("Starting the sign-in…")
        case .browser(let signIn):
            words(signIn.opened ? "A browser was opened to sign in. If it did not appear, open this address:"
                                : "Open this address in a browser and sign in:")
            row += 1
            row += buffer.putUnbroken(signIn.url, row: row, endRow: buffer.height - 4, tone: .accent)
            row += 1
            // What became of the address (copied, written, a paste refused) is said under it.
            if let note {
                words(note, tone: .strong)
                row += 1
            }
            if let real = signIn.realURL {
                words("The sandbox stands in for the real sign-in page:", tone: .dim)
                line(real, tone: .dim, indent: 4)
                row += 1
            }
            words("If the browser runs on another machine, its last page will not load: press p and paste that page's address.", tone: .dim)
            if offersDevice { words("No browser at hand? Press d to sign in with a code on another device instead.", tone: .dim) }
            help = offersDevice ? "p paste · c copy · w file · d device code · Esc cancel"
                                : "p paste · c copy · w write to a file · Esc cancel"
        case .device(let prompt):
            words("On any device with a browser, open this page:")
            row += 1
            row += buffer.putUnbroken(prompt.sandboxURI ?? prompt.completeURI ?? prompt.verificationURI,
                                      row: row, endRow: buffer.height - 4, tone: .accent)
            row += 1
            if prompt.sandboxURI != nil {
                words("(The sandbox stands in for \(prompt.completeURI ?? prompt.verificationURI).)", tone: .dim)
                row += 1
            }
            words("and enter the code:")
            line(prompt.userCode, tone: .strong, indent: 4)
            help = "c copy the address · w write it to a file · Esc cancel"
        case .exchanging:
            words("Signed in. Exchanging the code for tokens and testing the connection…")
            help = "Esc cancel"
        case .ended(let text, let hint, let passed):
            words(text, tone: passed ? .success : .failure)
            if let hint { words(hint, tone: .dim) }
            help = "Enter back"
        }
        if let note, !hasEnded, !isBrowser {
            row += 1
            words(note, tone: .dim)
        }
        if let editor = pasting {
            let label = "Address: "
            let view = editor.view(width: max(1, buffer.width - 4 - label.count))
            buffer.put(label, row: buffer.height - 3, column: 2, tone: .strong)
            buffer.put(view.text, row: buffer.height - 3, column: 2 + label.count, tone: .selected)
            buffer.cursor = (buffer.height - 3, 2 + label.count + view.cursor)
            help = "Enter use this address · Esc stop pasting"
        } else if let secondsLeft, !hasEnded {
            let left = String(format: "%d:%02d", secondsLeft / 60, secondsLeft % 60)
            buffer.put(DisplayWidth.truncate("Waiting… \(left) left", to: buffer.width - 4), row: buffer.height - 3, column: 2, tone: .strong)
        }
        ScreenLayout.frame(&buffer, title: "Authorize “\(name)”", help: help)
    }
}
