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

static void restore_and_exit(int number) {
    static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
    if (terminal_saved) tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
    (void)!write(STDOUT_FILENO, reset, sizeof reset - 1);
    _exit(128 + number);
}

void cnc_install_restore_on_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = restore_and_exit;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGQUIT, &action, NULL);
}
