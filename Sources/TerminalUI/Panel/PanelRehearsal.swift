/// The warm-up of a panel step (decision D36).
extension ConnectionPanelScreen {
    /// Runs on copies what the step's next keys will run, and keeps nothing: a character
    /// typed into the field, Enter on it, and the step Enter leads to drawn. The run loop calls
    /// it once a step while it waits for the operator, so the code, type metadata and protocol
    /// conformances those keys need are loaded before the first of them, not on it (decision D36).
    public func rehearse(width: Int, height: Int) {
        guard let widget, case .field = form.step else { return }
        var scratch = CellBuffer(width: max(1, width), height: max(1, height))
        var typing = self
        if widget.takesText {
            _ = typing.handle(.character("x"))
            typing.render(into: &scratch)
        }
        // Enter with that answer (or the highlighted choice): the check, the move and the next
        // step's first frame. An answer the field refuses draws its problem instead, and the
        // next field is then drawn as it would be reached.
        var entering = typing
        _ = entering.handle(.enter)
        entering.render(into: &scratch)
        let steps = form.route
        if entering.form.step == form.step, let index = steps.firstIndex(of: form.step), index + 1 < steps.count,
           case .field(let next) = steps[index + 1] {
            var ahead = form
            ahead.handle(.goTo(field: next))
            var panel = ConnectionPanelScreen(form: ahead)
            panel.render(into: &scratch)
        }
    }
}
