/// The value of a node attribute (`[value=...]`, `[name="conv1"]`), as printed. Tensor values are never
/// trusted from the text (the printer rounds or elides them); the weights file holds them.
public indirect enum TSAttributeValue: Equatable, Sendable {
    /// An integer lexeme (`-1`, `9223372036854775807`). Bools print as 0/1 too: the output type tells.
    case int(Int)
    /// A floating-point lexeme (`2.`, `1.0000000000000001e-05`, `inf`, `-inf`, `nan`, or an integer too large
    /// for `Int`).
    case float(Double)
    /// A string (`"ij"`), C escapes resolved.
    case string(String)
    /// `True` / `False` (inside lists: `value=[True, False]`).
    case bool(Bool)
    /// `[a, b]`.
    case list([TSAttributeValue])
    /// `(a, b)`, `(a,)`.
    case tuple([TSAttributeValue])
    /// `annotate(List[int], [])`: the type text and the value.
    case annotated(type: String, TSAttributeValue)
    /// A tensor whose values are in the weights file: `<Tensor>`, `{0.5}`, an inline repr ending
    /// `[ CPUFloatType{5} ]`, kept as the text between `value=` and the end of the attribute.
    case tensor(text: String)
    /// `[<Tensors>]`, `<Graph>` and other values a converter cannot use, kept as text.
    case opaque(String)
}
