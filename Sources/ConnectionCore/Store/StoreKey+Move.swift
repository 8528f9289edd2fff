import Foundation

/// Where `connwiz key move --to` puts the store key.
public enum KeyDestination: String, CaseIterable, Sendable {
    case keyring, file
}

extension StoreKey {
    /// Where the key is, and where a new one would go, in one line for `home`, `key` and
    /// `show`. `sealedSecrets` tells "none yet" from a key that is missing.
    public static func placeLine(home: HomeFolder, environment: [String: String], sealedSecrets: Int = 0) -> String {
        if let key = try? existing(home: home, environment: environment) {
            switch key.place {
            case .environment: return "from \(environmentVariable) (connwiz keeps no copy)"
            case .keyring: return "in the system keyring"
            case .file(let path):
                let reason = keyringReason(home: home, environment: environment)
                return "in the key file \(path)" + (reason.map { " (no system keyring: \($0))" } ?? " (connwiz key move --to keyring puts it in the system keyring)")
            }
        }
        let reason = keyringReason(home: home, environment: environment)
        if sealedSecrets > 0 {
            return "missing: the store holds \(sealedSecrets) sealed secret(s), but no key is in \(environmentVariable), \(home.keyFile) or the system keyring"
                + (reason.map { " (no system keyring: \($0))" } ?? "")
        }
        if let reason {
            return "none yet; the first secret saved makes one in \(home.keyFile) (no system keyring: \(reason))"
        }
        return "none yet; the first secret saved makes one in the system keyring"
    }

    /// Why no keyring can take the key here, nil when one answers.
    static func keyringReason(home: HomeFolder, environment: [String: String]) -> String? {
        SystemKeyring(home: home, environment: environment).unreachableReason()
    }

    /// Moves the store key between the system keyring and the key file. The same key moves,
    /// so nothing is sealed again. It is written to the new place and read back before the
    /// old place is emptied; a new place that already holds a different key is refused and
    /// nothing changes. Returns what was done, in one line.
    public static func move(to destination: KeyDestination, home: HomeFolder, environment: [String: String]) throws -> String {
        if environment[environmentVariable] != nil {
            throw StoreError.badKey("the key comes from \(environmentVariable), and connwiz keeps no copy of it to move; unset \(environmentVariable) to move the key connwiz keeps")
        }
        // A key file others can read, or a planted link, is refused here as everywhere.
        try home.checkSafety()
        let keyring = SystemKeyring(home: home, environment: environment)
        if let reason = keyringReason(home: home, environment: environment) {
            throw StoreError.keyring("no system keyring can be reached: \(reason); the key stays where it is" + (destination == .file ? "" : " (\(home.keyFile))"))
        }
        let ringKey = try inKeyring(home: home, environment: environment)
        let fileKey = try inFile(home: home)
        switch destination {
        case .keyring:
            guard let fileKey else {
                if ringKey != nil { return "The store key is already in the system keyring; nothing changed." }
                throw StoreError.badKey("there is no store key yet; the first secret saved makes one in the system keyring")
            }
            if let ringKey {
                guard ringKey.checkValue == fileKey.checkValue else {
                    throw StoreError.badKey("the system keyring already holds a different key for this home; nothing changed (the store's secrets are sealed with the one in \(home.keyFile))")
                }
            } else {
                try fileKey.save(in: keyring)
            }
            guard unlink(home.keyFile) == 0 else {
                throw StoreError.cannotWrite(home.keyFile, reason: "the key is now in the system keyring too, but the file could not be removed: \(String(cString: strerror(errno)))")
            }
            return "Moved the store key from \(home.keyFile) into the system keyring; nothing was sealed again."
        case .file:
            guard let ringKey else {
                if fileKey != nil { return "The store key is already in \(home.keyFile); nothing changed." }
                throw StoreError.badKey("there is no store key yet; the first secret saved makes one")
            }
            if let fileKey {
                guard fileKey.checkValue == ringKey.checkValue else {
                    throw StoreError.badKey("\(home.keyFile) already holds a different key; nothing changed (the store's secrets are sealed with the one in the system keyring)")
                }
            } else {
                _ = try ringKey.saveInFile(home: home)
                guard try Self.inFile(home: home)?.checkValue == ringKey.checkValue else {
                    unlink(home.keyFile)
                    throw StoreError.cannotWrite(home.keyFile, reason: "the key read back was not the one written; the keyring still holds it")
                }
            }
            try keyring.delete()
            return "Moved the store key from the system keyring into \(home.keyFile) (mode 0600); nothing was sealed again."
        }
    }
}
