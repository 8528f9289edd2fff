// The ncursesw calls connwiz uses, made importable by Swift.
// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here, before
// ncurses.h is read. Macros and globals Swift cannot import (or, in Swift 6, cannot read
// safely) are wrapped in small inline functions. No logic lives here.
#ifndef CNCURSES_H
#define CNCURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

int wcwidth(wchar_t c);

static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }

static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_color_pair(short pair) { return (attr_t)COLOR_PAIR(pair); }

static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cnc_key_f(int n) { return KEY_F(n); }

/// Writes one cell (a base character and up to four combining marks, `count` in all) with
/// attributes at the cursor (setcchar + wadd_wch).
int cnc_add_cell(WINDOW *window, const wchar_t *characters, int count, attr_t attributes, short pair);

/// Starts curses on standard input and output (newterm, not initscr, so an unknown TERM is
/// reported instead of ending the process). Returns 1 on success, 0 when the terminal is unusable.
int cnc_open_terminal(void);

/// Restores the terminal from a signal handler: the saved termios (tcsetattr is
/// async-signal-safe), the cursor shown, the alternate screen left. Then exits 128+signal.
/// Crash signals (SIGILL and SIGTRAP from a Swift trap, SIGABRT, SIGSEGV, SIGBUS, SIGFPE) are
/// caught too: the terminal is restored, then the signal is raised again.
void cnc_install_restore_on_signals(void);
/// Saves the terminal's settings for the handler above; call before initscr.
void cnc_save_terminal(void);
/// Puts the default actions back once the terminal has been given back (after endwin).
void cnc_uninstall_restore_on_signals(void);

/// Asks the terminal to mark pasted text (bracketed paste, `ESC[200~` … `ESC[201~`), so a
/// pasted newline is not taken for Enter; 0 turns it off again.
void cnc_bracketed_paste(int on);

#endif
