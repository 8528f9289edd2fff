/// Text a service wrote, made safe to show: an error description, a user code, a reason
/// phrase, a header. A server can put escape sequences in any of them, and a terminal that
/// prints them would let it set the window title, clear the screen or fake a line of
/// connwiz's own.
///
/// C0 controls, DEL, C1 controls and the bidirectional overrides are removed (a tab or a
/// line break becomes a space), so what is shown is only what a person could have typed.
public enum ServiceText {
    /// `text` with every control character removed and line breaks turned into spaces.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                if scalars.last != " " { scalars.append(" ") }
            } else if !isUnsafe(scalar) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Whether `text` holds a character `printable` would remove.
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isUnsafe)
    }

    /// C0 (tab and line breaks included), DEL, C1, and the bidirectional embeddings,
    /// overrides and isolates (U+202A–U+202E, U+2066–U+2069).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7f...0x9f).contains(value) || (0x202a...0x202e).contains(value) || (0x2066...0x2069).contains(value)
    }
}
