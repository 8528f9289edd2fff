import ConnectorSchema
import FormEngine

let catalog = ConnectorCatalog.builtin()

func schema(_ id: String) -> ConnectorSchema { catalog.connector(id)! }

extension FormState {
    /// Submits lines in order, as the prompts would.
    mutating func type(_ lines: String...) {
        for line in lines { handle(.submit(FieldInput(line))) }
    }

    var visibleIDs: [String] { visibleFields.map(\.id) }

    var currentID: String? { currentField?.id }
}
