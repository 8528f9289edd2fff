import ConnectorSchema
import FormEngine
import Testing

@Suite("Borrow concurrency from, and the private key file, at the field")
struct BorrowAndKeyFileTests {
    let certinia = schema("certinia")

    func saved(_ id: String, _ name: String, account: String, borrows: String? = nil) -> FormContext.SavedConnection {
        var values: [String: FieldValue] = ["name": .string(name), "accountType": .string(account)]
        if let borrows { values["borrowConcurrencyFrom"] = .string(borrows) }
        return FormContext.SavedConnection(id: id, name: name, connectorID: "certinia", values: values)
    }

    var saved: [FormContext.SavedConnection] {
        [saved("a", "Prod A", account: "production"),
         saved("b", "Prod B", account: "production", borrows: "a"),
         saved("c", "Prod C", account: "production", borrows: "b"),
         saved("s", "Sandbox S", account: "sandbox"),
         FormContext.SavedConnection(id: "io", name: "IO", connectorID: "celigo-integrator-io")]
    }

    var field: FieldSpec { certinia.field("borrowConcurrencyFrom")! }

    @Test func thePickerOffersOnlyConnectionsToTheSameOrg() {
        var form = FormState(schema: certinia, context: FormContext(mode: .create, savedConnections: saved))
        form.handle(.set(field: "accountType", FieldInput("production")))
        #expect(form.choices(for: field).map(\.name) == ["Prod A", "Prod B", "Prod C"])
        form.handle(.set(field: "accountType", FieldInput("sandbox")))
        #expect(form.choices(for: field).map(\.name) == ["Sandbox S"])
        form.handle(.set(field: "borrowConcurrencyFrom", FieldInput("Prod A")))
        #expect(form.problems["borrowConcurrencyFrom"] == "“Prod A” is not for the same org (accountType differs)")
    }

    /// Issue 19, item 18: a connection that borrows runs within the lender's level, so its own
    /// is not asked (20 was accepted and ignored).
    @Test func aBorrowerIsNotAskedForAConcurrencyLevel() {
        var form = FormState(schema: certinia, context: FormContext(mode: .create, savedConnections: saved))
        form.handle(.set(field: "accountType", FieldInput("production")))
        #expect(form.visibleIDs.contains("concurrencyLevel"))
        form.handle(.set(field: "borrowConcurrencyFrom", FieldInput("Prod A")))
        #expect(form.problems["borrowConcurrencyFrom"] == nil)
        #expect(!form.visibleIDs.contains("concurrencyLevel"))
    }

    @Test func noConnectionBorrowsFromItselfNorInACycle() {
        var form = FormState(schema: certinia, context: FormContext(mode: .edit(connectionID: "a"), savedConnections: saved),
                             prefill: saved[0].values)
        // B borrows from A, and C from B: either would close a cycle back to A.
        #expect(form.choices(for: field).isEmpty)
        // Issue 19, item 18: the empty list says why.
        #expect(form.noChoicesReason(for: field)
                == "None can be chosen: “Sandbox S” has another Account type; 2 would lead back to this connection through its own Borrow concurrency from. Press Enter to skip")
        #expect(FormState(schema: certinia).noChoicesReason(for: field) == "No connection of this kind is saved yet; press Enter to skip")
        form.handle(.set(field: "borrowConcurrencyFrom", FieldInput("Prod A")))
        #expect(form.problems["borrowConcurrencyFrom"] == "Borrow concurrency from cannot name the connection itself")
        form.handle(.set(field: "borrowConcurrencyFrom", FieldInput("Prod C")))
        #expect(form.problems["borrowConcurrencyFrom"] == "“Prod C” leads back to this connection through Borrow concurrency from, so that would be a cycle")

        // Editing C, A is fine (A borrows from nobody), B too (B → A, not back to C).
        let editC = FormState(schema: certinia, context: FormContext(mode: .edit(connectionID: "c"), savedConnections: saved),
                              prefill: saved[2].values)
        #expect(editC.choices(for: field).map(\.name) == ["Prod A", "Prod B"])
    }

    @Test func aKeyFileIsCheckedWhenEnteredThroughTheInjectedInspector() {
        let inspector = FileInspector { path, requirement in
            #expect(requirement == .rsaPrivateKey)
            return path == "/keys/good.pem" ? nil : "the private key file \(path) cannot be read: no such file"
        }
        var form = FormState(schema: certinia, context: FormContext(files: inspector))
        form.handle(.set(field: "oauthFlow", FieldInput("jwt-bearer")))
        form.handle(.set(field: "privateKeyFile", FieldInput("/keys/missing.pem")))
        #expect(form.problems["privateKeyFile"] == "the private key file /keys/missing.pem cannot be read: no such file")
        #expect(form.value(of: "privateKeyFile") == nil)
        form.handle(.set(field: "privateKeyFile", FieldInput("/keys/good.pem")))
        #expect(form.problems["privateKeyFile"] == nil && form.value(of: "privateKeyFile") == .string("/keys/good.pem"))
    }
}

@Suite("Valid domain names")
struct ValidDomainsTests {
    @Test func aPastedAccountAddressIsTakenAsItsHost() {
        var form = FormState(schema: schema("celonis"))
        form.handle(.set(field: "authType", FieldInput("oauth2")))
        form.handle(.set(field: "validDomains", FieldInput("https://ACME.eu-1.celonis.cloud/ui/home?tab=1")))
        #expect(form.value(of: "validDomains") == .string("acme.eu-1.celonis.cloud"), "\(form.problems)")
        form.handle(.set(field: "validDomains", FieldInput("acme.eu-1.celonis.cloud, other.eu-1.celonis.cloud")))
        #expect(form.value(of: "validDomains") == .string("acme.eu-1.celonis.cloud, other.eu-1.celonis.cloud"))
    }
}
