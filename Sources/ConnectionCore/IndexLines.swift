import Foundation

/// Lines of tab-separated fields, with `\\`, tab and newline escaped inside a field: the
/// connector index's format. Written by hand rather than read with `JSONDecoder`, because a
/// warm `connwiz connectors` is mostly reading this file (D61); the format is ours alone.
enum IndexLines {
    static func write(_ lines: [[String]]) -> Data {
        var text = ""
        for fields in lines {
            text += fields.map(escape).joined(separator: "\t")
            text += "\n"
        }
        return Data(text.utf8)
    }

    static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var escaped = ""
        for character in field.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\t": escaped += "\\t"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Calls `line` with each line's fields, in order, until it returns false. Bytes that are
    /// not UTF-8 become U+FFFD; an unknown escape keeps its character.
    static func read(_ data: Data, _ line: ([String]) -> Bool) {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var fields: [String] = []
            var start = 0, index = 0
            var escaped = false
            func field(to end: Int) -> String {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard escaped else { return String(decoding: slice, as: UTF8.self) }
                var plain: [UInt8] = []
                plain.reserveCapacity(slice.count)
                var at = 0
                while at < slice.count {
                    if slice[at] == 0x5C, at + 1 < slice.count {
                        switch slice[at + 1] {
                        case 0x74: plain.append(0x09)
                        case 0x6E: plain.append(0x0A)
                        case 0x72: plain.append(0x0D)
                        case let other: plain.append(other)
                        }
                        at += 2
                    } else {
                        plain.append(slice[at])
                        at += 1
                    }
                }
                return String(decoding: plain, as: UTF8.self)
            }
            while index < bytes.count {
                switch bytes[index] {
                case 0x5C:
                    escaped = true
                    index += 2
                    continue
                case 0x09:
                    fields.append(field(to: index))
                case 0x0A:
                    fields.append(field(to: index))
                    guard line(fields) else { return }
                    fields = []
                default:
                    index += 1
                    continue
                }
                index += 1
                start = index
                escaped = false
            }
            // A last line without its newline was cut short: it is left out.
        }
    }
}
