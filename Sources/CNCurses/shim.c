#include "CNCurses.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int cnc_add_cell(WINDOW *window, const wchar_t *characters, int count, attr_t attributes, short pair) {
    cchar_t cell;
    wchar_t text[6] = { 0 };
    if (count > 5) count = 5;
    for (int i = 0; i < count; i++) text[i] = characters[i];
    if (setcchar(&cell, text, attributes, pair, NULL) != OK) return ERR;
    return wadd_wch(window, &cell);
}

int cnc_open_terminal(void) {
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return 0;
    set_term(screen);
    return 1;
}

static struct termios saved_terminal;
static int terminal_saved = 0;

void cnc_save_terminal(void) {
    if (tcgetattr(STDIN_FILENO, &saved_terminal) == 0) terminal_saved = 1;
}

/// Keypad mode off, attributes reset, cursor shown, alternate screen left: what endwin would
/// write, as one async-signal-safe write.
static void restore_terminal(void) {
    static const char reset[] = "\033[?2004l\033[?1l\033>\033[0m\033[?25h\033[?1049l\r\n";
    if (terminal_saved) tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
    (void)!write(STDOUT_FILENO, reset, sizeof reset - 1);
}

static void restore_and_exit(int number) {
    restore_terminal();
    _exit(128 + number);
}

/// A crash (a Swift trap, a bad access): give the terminal back, then let the signal do what
/// it would have done (SA_RESETHAND put the default action back), so core dumps still happen.
static void restore_and_crash(int number) {
    restore_terminal();
    raise(number);
}

static const int stop_signals[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
static const int crash_signals[] = { SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };

void cnc_install_restore_on_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = restore_and_exit;
    for (unsigned i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++) sigaction(stop_signals[i], &action, NULL);
    action.sa_handler = restore_and_crash;
    action.sa_flags = SA_RESETHAND;
    for (unsigned i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++) sigaction(crash_signals[i], &action, NULL);
}

void cnc_uninstall_restore_on_signals(void) {
    for (unsigned i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++) signal(stop_signals[i], SIG_DFL);
    for (unsigned i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++) signal(crash_signals[i], SIG_DFL);
}

void cnc_bracketed_paste(int on) {
    static const char enable[] = "\033[?2004h", disable[] = "\033[?2004l";
    if (on) (void)!write(STDOUT_FILENO, enable, sizeof enable - 1);
    else (void)!write(STDOUT_FILENO, disable, sizeof disable - 1);
}
