import Connections
import ConnectorSchema
import FormEngine

/// What `AppFlow` asks the loop to do beyond changing its screens.
public enum AppEffect: Sendable {
    /// Start `work` as a task; its result comes back as an `AppEvent`.
    case start(AppWork)
    /// Stop the task that runs (Esc, Ctrl-C, or `d` to sign in with a code instead).
    case cancel
    /// Send text to the terminal's clipboard (OSC 52).
    case copy(String)
    /// Hand a pasted sign-in address to the sign-in that waits for it.
    case paste(String)
}

/// Work that takes time, run as a task while the screen stays live.
public enum AppWork: Sendable {
    /// A form's test or save.
    case form(FormAction, ConnectionDraft, FormState)
    /// A test of a saved connection.
    case testSaved(id: String, name: String)
    /// A sign-in.
    case signIn(SignInTarget, AuthorizeOptions.Method)
}

/// What a task posts while it runs and when it ends.
public enum AppEvent: Sendable {
    case formRan(FormAction, Result<FormRun, AppFailure>)
    case connectionTested(name: String, Result<StatusLine, AppFailure>)
    case authorizing(AuthorizationProgress)
    case authorized(name: String, Result<SignInResult, AppFailure>)
}

extension AppWork {
    /// Does the work on `services` and returns the event that ends it; a sign-in's progress
    /// goes to `progress` as it comes, and pasted addresses come from `pasted`. Failures are
    /// worded for the screen here, once for every front end that runs the flow.
    func run(on services: any AppServices, signInTimeout: Int, pasted: AsyncStream<String>,
             progress: @escaping @Sendable (AppEvent) -> Void) async -> AppEvent {
        switch self {
        case .form(let action, let draft, let form):
            return .formRan(action, await Self.result { try await services.runForm(action, draft: draft, form: form) })
        case .testSaved(let id, let name):
            return .connectionTested(name: name, await Self.result(failing: "Cannot test “\(name)”: ") { try await services.testSaved(id: id) })
        case .signIn(let target, let method):
            let result = await Self.result(failing: "Not authorized: ") {
                try await services.signIn(id: target.id, method: method, timeout: signInTimeout, pasted: pasted) { progress(.authorizing($0)) }
            }
            return .authorized(name: target.name, result)
        }
    }

    /// `work`'s value, or its failure worded for the screen (an `AppFailure` as it is).
    private static func result<Value: Sendable>(failing prefix: String = "", _ work: @Sendable () async throws -> Value) async -> Result<Value, AppFailure> {
        do {
            return .success(try await work())
        } catch let failure as AppFailure {
            return .failure(failure)
        } catch {
            return .failure(AppFailure(prefix + "\(error)"))
        }
    }
}
