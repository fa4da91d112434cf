import CYAML

/// A help article's front matter, read from libyaml's event stream (Debian's libyaml-dev) rather than through a
/// YAML loader, because front matter is untrusted text and a loader expands aliases: a few hundred bytes of nested
/// `&a [*b, *b, …]` ("billion laughs") become gigabytes. Here an anchor or alias is refused where it stands, and only
/// the shape front matter has is accepted: one mapping of fields, each a scalar or a flat list of scalars. Every
/// field keeps the line it starts on, so later problems point at it. Scalars stay text (YAML 1.1 would read `no` as
/// false and `2026` as a number); the reader of a field decides what the text must be.
struct FrontMatter {
    enum Value: Equatable {
        /// `plain` is false for quoted and block scalars: `"~"` is text, a plain `~` is nothing.
        case scalar(String, plain: Bool)
        case list([String])

        /// A plain empty, `~` or `null` scalar: the field is written but says nothing.
        var isNull: Bool {
            if case .scalar(let text, true) = self { return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL" }
            return false
        }
    }

    struct Field {
        let value: Value
        /// 1-based line within the YAML text.
        let line: Int
    }

    struct Problem: Error, Equatable {
        /// 1-based line and column within the YAML text.
        let line: Int
        let column: Int
        let message: String
    }

    /// Fields in the order written.
    private(set) var names: [String] = []
    private(set) var fields: [String: Field] = [:]

    subscript(name: String) -> Field? { fields[name] }

    /// At most this many items in one list: a help article relates to a handful of others.
    static let maxListItems = 200

    init(yaml: String) throws(Problem) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw Problem(line: 1, column: 1, message: "the YAML reader could not start") }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        try bytes.withUnsafeBufferPointer { (buffer) throws(Problem) in
            // libyaml reads from the buffer while events are pulled; the buffer outlives the parser's use of it.
            yaml_parser_set_input_string(&parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count)
            var reader = EventReader(parser: &parser)
            try read(&reader)
        }
    }

    private mutating func read(_ reader: inout EventReader) throws(Problem) {
        // STREAM-START, then nothing (an empty front matter) or one document holding one mapping.
        var event = try reader.next()
        guard event.type == YAML_STREAM_START_EVENT else { throw reader.problem(event, "front matter is not YAML") }
        event = try reader.next()
        if event.type == YAML_STREAM_END_EVENT { return }
        guard event.type == YAML_DOCUMENT_START_EVENT else { throw reader.problem(event, "front matter is not YAML") }
        event = try reader.next()
        switch event.type {
        case YAML_MAPPING_START_EVENT:
            try reader.refuseAnchor(event)
        case YAML_SCALAR_EVENT where event.plainEmpty:
            // Only `---` lines with nothing between them.
            return
        default:
            throw reader.problem(event, "front matter must be fields written as `name: value`, one per line")
        }
        while true {
            let keyEvent = try reader.next()
            if keyEvent.type == YAML_MAPPING_END_EVENT { break }
            guard keyEvent.type == YAML_SCALAR_EVENT else {
                try reader.refuseAnchor(keyEvent)
                throw reader.problem(keyEvent, "a field's name must be a word, as in `title: …`")
            }
            try reader.refuseAnchor(keyEvent)
            let name = keyEvent.text
            let line = keyEvent.line
            if fields[name] != nil {
                throw reader.problem(keyEvent, "the field \"\(name)\" is written twice")
            }
            let valueEvent = try reader.next()
            try reader.refuseAnchor(valueEvent)
            let value: Value
            switch valueEvent.type {
            case YAML_SCALAR_EVENT:
                value = .scalar(valueEvent.text, plain: valueEvent.isPlain)
            case YAML_SEQUENCE_START_EVENT:
                var items: [String] = []
                while true {
                    let item = try reader.next()
                    if item.type == YAML_SEQUENCE_END_EVENT { break }
                    try reader.refuseAnchor(item)
                    guard item.type == YAML_SCALAR_EVENT else {
                        throw reader.problem(item, "every item of \"\(name)\" must be text, not a list or fields")
                    }
                    guard items.count < Self.maxListItems else {
                        throw reader.problem(item, "\"\(name)\" has more than \(Self.maxListItems) items")
                    }
                    items.append(item.text)
                }
                value = .list(items)
            default:
                throw reader.problem(valueEvent, "\"\(name)\" must be text, a number or a list of text, not fields of its own")
            }
            names.append(name)
            fields[name] = Field(value: value, line: line)
        }
        event = try reader.next()
        guard event.type == YAML_DOCUMENT_END_EVENT else { throw reader.problem(event, "front matter is one set of fields") }
        event = try reader.next()
        guard event.type == YAML_STREAM_END_EVENT else { throw reader.problem(event, "front matter is one set of fields; remove the second document") }
    }
}

/// Pulls events one at a time, copying out what the reader needs and freeing each at once.
private struct EventReader {
    struct Event {
        var type: yaml_event_type_t
        var text = ""
        var isPlain = false
        var hasAnchor = false
        var line = 1
        var column = 1
        var plainEmpty: Bool { isPlain && text.isEmpty }
    }

    let parser: UnsafeMutablePointer<yaml_parser_t>

    init(parser: UnsafeMutablePointer<yaml_parser_t>) { self.parser = parser }

    func next() throws(FrontMatter.Problem) -> Event {
        var raw = yaml_event_t()
        guard yaml_parser_parse(parser, &raw) == 1 else {
            let p = parser.pointee
            let mark = p.problem_mark
            var message = p.problem.map { String(cString: $0) } ?? "not valid YAML"
            if let context = p.context.map({ String(cString: $0) }) { message = "\(context) \(message)" }
            throw FrontMatter.Problem(line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: "front matter is not valid YAML: \(message)")
        }
        defer { yaml_event_delete(&raw) }
        var event = Event(type: raw.type, line: Int(raw.start_mark.line) + 1, column: Int(raw.start_mark.column) + 1)
        switch raw.type {
        case YAML_SCALAR_EVENT:
            let scalar = raw.data.scalar
            if let value = scalar.value {
                event.text = String(decoding: UnsafeBufferPointer(start: value, count: scalar.length), as: UTF8.self)
            }
            event.isPlain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            event.hasAnchor = scalar.anchor != nil
        case YAML_SEQUENCE_START_EVENT: event.hasAnchor = raw.data.sequence_start.anchor != nil
        case YAML_MAPPING_START_EVENT: event.hasAnchor = raw.data.mapping_start.anchor != nil
        case YAML_ALIAS_EVENT: event.hasAnchor = true
        default: break
        }
        return event
    }

    func refuseAnchor(_ event: Event) throws(FrontMatter.Problem) {
        guard event.hasAnchor else { return }
        throw problem(event, event.type == YAML_ALIAS_EVENT
                      ? "front matter cannot use aliases (*name); write the value out"
                      : "front matter cannot use anchors (&name); write each value out")
    }

    func problem(_ event: Event, _ message: String) -> FrontMatter.Problem {
        FrontMatter.Problem(line: event.line, column: event.column, message: message)
    }
}
