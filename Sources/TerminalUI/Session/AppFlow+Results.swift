import Connections
import FormEngine

/// What the flow does with the results of its tasks, and how a sign-in goes.
extension AppFlow {
    /// Takes what a task posted. `now` is the loop's clock, for the sign-in's countdown.
    public mutating func receive(_ event: AppEvent, now: UInt64) throws -> [AppEffect] {
        if case .authorizing(let progress) = event {
            // The sign-in goes on: only what the screen shows changes.
            guard case .authorize(var screen, let target, let after)? = stack.last else { return [] }
            screen.show(progress)
            if case .waitingForBrowser(let signIn) = progress {
                signInDeadline = now + UInt64(max(0, signIn.deadline.timeIntervalSinceNow) * 1000)
            }
            replaceTop(.authorize(screen, target, after: after))
            return []
        }
        running = nil
        switch event {
        case .authorizing:
            break
        case .authorized(let name, let result):
            guard case .authorize(var screen, let target, let after)? = stack.last else { break }
            if switchingToDevice, (try? result.get())?.signedIn != true {
                // The browser sign-in stopped for `d`: the same connection signs in with a code.
                switchingToDevice = false
                stack.removeLast()
                return signIn(target, after: after, method: .device, now: now)
            }
            switch result {
            case .success(let outcome):
                screen.end(outcome.line, hint: outcome.hint, passed: outcome.passed)
                farewell.append(outcome.signedIn ? "Authorized “\(name)”: its tokens are stored, encrypted." : "“\(name)” was not authorized: \(outcome.line)")
            case .failure(let failure):
                screen.end(failure.description, hint: nil, passed: false)
                farewell.append("“\(name)” was not authorized: \(failure.description)")
            }
            replaceTop(.authorize(screen, target, after: after))
        case .connectionTested(_, let result):
            let rows = try services.connectionRows()
            updateConnections { screen in
                screen.update(rows: rows)
                switch result {
                case .success(let status): screen.message = (status.text + " · l shows the log", status.passed ? .success : .failure)
                case .failure(let failure): screen.message = (failure.description, .failure)
                }
            }
        case .formRan(.test, .failure(let failure)):
            apply([.testNotRun(failure.description)])
        case .formRan(_, .failure(let failure)):
            apply([.saveRefused(failure.description)])
        case .formRan(_, .success(let run)):
            apply(run.events)
            guard let saved = run.saved, case .panel? = stack.last else { break }
            farewell += saved.lines
            if saved.savedDespiteFailedTest { savedAfterFailedTest = true }
            if let target = saved.signsIn { return signIn(target, after: saved, now: now) }
            closeTop(saved: saved)
        }
        return []
    }

    /// Opens the sign-in screen and starts the sign-in; its progress and end arrive as events.
    mutating func signIn(_ target: SignInTarget, after saved: FormRun.Saved?, method: AuthorizeOptions.Method? = nil,
                         now: UInt64) -> [AppEffect] {
        let method = method ?? settings.signIn
        var target = target
        if method == .device { target.offersDevice = false }
        stack.append(.authorize(AuthorizeScreen(name: target.name, offersDevice: target.offersDevice), target, after: saved))
        switchingToDevice = false
        signInDeadline = nil
        return start(.signIn(target, method), now: now)
    }

    /// What a key on the sign-in screen comes to.
    mutating func signInKey(_ outcome: AuthorizeScreen.Outcome, screen: AuthorizeScreen, target: SignInTarget,
                            after: FormRun.Saved?) -> [AppEffect] {
        switch outcome {
        case .stay:
            return []
        case .paste(let address):
            return [.paste(address)]
        case .copy(let address):
            note("Sent the address to the terminal's clipboard (OSC 52). A terminal that does not take OSC 52 ignores it (tmux needs set-clipboard on); w writes it to a file instead.")
            return [.copy(address)]
        case .write(let address):
            note(services.writeSignInAddress(address, name: screen.name))
            return []
        case .useDevice, .cancel:
            guard let running, !running.cancelling else { return [] }
            self.running?.cancelling = true
            switchingToDevice = outcome == .useDevice
            return [.cancel]
        case .done:
            stack.removeLast()
            if let after { closeTop(saved: after) } else { refreshConnections() }
            return []
        }
    }

    /// Shows `text` under the sign-in's address.
    private mutating func note(_ text: String) {
        guard case .authorize(var screen, let target, let after)? = stack.last else { return }
        screen.note = text
        replaceTop(.authorize(screen, target, after: after))
    }
}
