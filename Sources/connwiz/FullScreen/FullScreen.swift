import Connections
import Foundation
import TerminalUI

/// Runs the full-screen front end on the terminal and gives the terminal back whatever
/// happens; then prints what the session did. A save made with `--test --save-anyway` after a
/// failed test ends the command with status 1, as it does with line prompts.
enum FullScreen {
    static func run(_ start: FullScreenApp.Start, driver: NCursesDriver, workspace: Workspace, checks: CheckOptions,
                    signIn: SignInChoice = SignInChoice()) async throws -> FullScreenApp.Ending {
        let cases = workspace.useCases(checks.network)
        let app = FullScreenApp(driver: driver, cases: cases, options: FullScreenApp.Options(policy: checks.policy, signIn: signIn.method,
                                                                                           signInTimeout: signIn.timeout))
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
}
