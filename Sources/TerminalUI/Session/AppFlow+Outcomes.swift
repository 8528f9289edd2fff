import Connections
import ConnectorSchema
import FormEngine

/// What the flow does with each screen's outcome.
extension AppFlow {
    mutating func act(on outcome: ConnectionsScreen.Outcome, now: UInt64) throws -> [AppEffect] {
        switch outcome {
        case .stay:
            break
        case .quit:
            ending = .left
        case .create:
            updateConnections { $0.message = nil }
            stack.append(.applications(ApplicationListScreen(items: applications())))
        case .edit(let id):
            guard let form = try found(services.editForm(id: id)) else { break }
            updateConnections { $0.message = nil }
            stack.append(.panel(ConnectionPanelScreen(form: form)))
        case .test(let id):
            guard let name = try found(services.usable(id: id)) else { break }
            return start(.testSaved(id: id, name: name), now: now)
        case .authorize(let id):
            guard let target = try found(services.signInTarget(id: id)) else { break }
            updateConnections { $0.message = nil }
            return signIn(target, after: nil, now: now)
        case .viewLog(let id):
            guard let (name, latest) = try found(services.latestLog(id: id)) else { break }
            guard let log = latest else {
                updateConnections { $0.message = ("“\(name)” has not been tested yet; press t to test it.", .dim) }
                break
            }
            openLog(log)
        case .export(let id):
            guard let name = try found(services.usable(id: id)) else { break }
            let path = FullScreenApp.file(in: settings.outputFolder, for: name, suffix: ".connection.json")
            updateConnections { $0.ask(PathQuestion("Export “\(name)” to", default: path), for: id) }
        case .exportTo(let id, let typed):
            let path = resolve(typed)
            do {
                guard let name = try found(services.export(id: id, toFile: path)) else { break }
                farewell.append("Exported connection “\(name)” to \(path).")
                updateConnections { $0.message = ("Exported “\(name)” to \(path) (secrets as ******).", .success) }
            } catch {
                updateConnections { $0.message = ("\(error)", .failure) }
            }
        case .delete(let id):
            do {
                guard let deleted = try found(services.delete(id: id)) else { break }
                farewell.append("Deleted connection “\(deleted.name)”.")
                if let note = deleted.borrowerNote { farewell.append(note) }
                refreshConnections(.some((deleted.line + (deleted.borrowerNote.map { " " + $0 } ?? ""), .normal)))
            } catch {
                updateConnections { $0.message = ("Not deleted: \(error)", .failure) }
            }
        }
        return []
    }

    /// The value a lookup found; otherwise the Connections screen says why there is none.
    mutating func found<Value>(_ lookup: Lookup<Value>) throws -> Value? {
        switch lookup {
        case .found(let value):
            return value
        case .gone:
            let rows = try services.connectionRows()
            updateConnections {
                $0.message = (AppFailure.gone.description, .failure)
                $0.update(rows: rows)
            }
        case .unusable(let line, let tone):
            updateConnections { $0.message = (line, tone) }
        }
        return nil
    }

    mutating func act(on outcome: ApplicationListScreen.Outcome) throws -> [AppEffect] {
        switch outcome {
        case .stay:
            break
        case .cancelled:
            closeTop(saved: nil)
        case .chosen(let id):
            guard let form = try services.newForm(connector: id) else { break }
            stack.append(.panel(ConnectionPanelScreen(form: form)))
        }
        return []
    }

    mutating func act(on outcome: ConnectionPanelScreen.Outcome, of panel: ConnectionPanelScreen, now: UInt64) -> [AppEffect] {
        let form = panel.form
        switch outcome {
        case .stay:
            break
        case .cancelled, .left:
            // A discarded new connection leaves nothing behind, its test logs included.
            services.discard(form)
            closeTop(saved: nil, leaving: outcome == .left)
        case .viewLog:
            guard let last = form.lastTest,
                  var log = services.formLog(last, name: form.currentValues[ConnectorSchema.nameField]?.text ?? "") else { break }
            log.note = form.testIsStale ? "answers changed since" : nil
            openLog(log)
        case .perform(let action, let draft):
            apply(services.formStartEvents(action, draft: draft, form: form))
            return start(.form(action, draft, form), now: now)
        }
        return []
    }

    mutating func act(on outcome: ViewLogScreen.Outcome, log: LogReference) {
        guard case .viewLog(var screen, _) = stack.last else { return }
        switch outcome {
        case .stay:
            return
        case .back:
            stack.removeLast()
            return
        case .writeHAR:
            let path = FullScreenApp.file(in: settings.outputFolder, for: log.name, suffix: "-attempt-\(log.number).har")
            screen.ask(PathQuestion("Write the HAR file to", default: path))
        case .writeHARTo(let typed):
            let path = resolve(typed)
            do {
                let count = try services.writeHAR(log, toFile: path)
                screen.message = "Wrote \(path) (\(count) exchange\(count == 1 ? "" : "s"); secrets as fingerprints)."
            } catch {
                screen.message = "\(error)"
            }
        case .attempts:
            stack.append(.attempts(AttemptListScreen(title: "View log › \(log.name) › Attempts", rows: services.attemptRows(log),
                                                     current: log.number), log))
            return
        }
        replaceTop(.viewLog(screen, log))
    }

    mutating func act(on outcome: AttemptListScreen.Outcome, log: LogReference) {
        switch outcome {
        case .stay:
            break
        case .back:
            stack.removeLast()
        case .open(let number):
            guard let chosen = services.attempt(number, beside: log) else { break }
            // The chosen attempt takes the place of the View log the list was opened from.
            stack.removeLast()
            if case .viewLog? = stack.last { stack.removeLast() }
            openLog(chosen)
        }
    }

    /// Opens the View log of `log` on top, or says on the Connections screen why it cannot.
    mutating func openLog(_ log: LogReference) {
        do {
            stack.append(.viewLog(try services.logScreen(log), log))
        } catch {
            updateConnections { $0.message = ("The log of “\(log.name)” cannot be read: \(error.localizedDescription)", .failure) }
        }
    }
}
