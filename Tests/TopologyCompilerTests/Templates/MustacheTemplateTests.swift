import Testing

@testable import TopologyCompiler

/// The strict Mustache subset: what renders, and every error located at its tag.
@Suite("mustache templates")
struct MustacheTemplateTests {
    struct Context: Encodable {
        var name = "main"
        var port = 5000
        var on = true
        var off = false
        var items = ["a", "b"]
        var nested = Nested()
        var nothing = Nullable<Int>(nil)
        var something = Nullable<Int>(7)
        var broken = "two\nlines"
        struct Nested: Encodable { var inner = "deep" }
    }

    static func render(_ text: String, library: [String: String] = [:]) throws -> String {
        var templates: [String: MustacheTemplate] = [:]
        for (name, source) in library { templates[name] = try MustacheTemplate(text: source, file: "\(name).mustache") }
        let template = try MustacheTemplate(text: text, file: "t.mustache")
        return try TemplateRenderer(library: templates, language: .ini).render(template, context: TemplateValue.of(Context()))
    }

    static func error(_ text: String, library: [String: String] = [:]) -> String {
        do {
            _ = try render(text, library: library)
            return "no error"
        } catch let error as TemplateError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test func variablesSectionsAndStandaloneLines() throws {
        #expect(try Self.render("x {{name}}:{{port}} {{nested.inner}}\n") == "x main:5000 deep\n")
        #expect(try Self.render("{{#items}}\n- {{.}}\n{{/items}}\nend") == "- a\n- b\nend")
        #expect(try Self.render("{{#on}}yes{{/on}}{{#off}}no{{/off}}{{^off}}!{{/off}}") == "yes!")
        #expect(try Self.render("{{#nothing}}n={{.}}{{/nothing}}{{#something}}s={{.}}{{/something}}") == "s=7")
        #expect(try Self.render("  {{! a comment }}\nkept\n") == "kept\n")
        #expect(try Self.render("{{#nested}}{{inner}} {{name}}{{/nested}}") == "deep main", "outer names stay visible")
    }

    @Test func inheritanceOverridesBlocksAndKeepsTheRest() throws {
        let parent = "safety line\n{{$body}}\ndefault {{name}}\n{{/body}}\n{{$tail}}\n{{/tail}}\n"
        #expect(try Self.render("{{<p}}\n{{/p}}\n", library: ["p": parent]) == "safety line\ndefault main\n")
        let child = "{{<p}}\n{{$body}}\nmine {{port}}\n{{/body}}\n{{/p}}\n"
        #expect(try Self.render(child, library: ["p": parent]) == "safety line\nmine 5000\n")
        #expect(try Self.render("a {{>q}} b", library: ["q": "{{name}}"]) == "a main b")
    }

    @Test func errorsAreLocated() {
        #expect(Self.error("ok\n  {{missing}}\n") == "t.mustache:2:3: error: the context has no value 'missing' [TTP002]")
        #expect(Self.error("{{nested.nope}}") == "t.mustache:1:1: error: the context has no value 'nested.nope' [TTP002]")
        #expect(Self.error("{{#nope}}x{{/nope}}").hasSuffix("the context has no value 'nope' [TTP002]"))
        #expect(
            Self.error("x {{broken}}") == "t.mustache:1:3: error: the value of 'broken' cannot be written safely into ini text [TTP003]")
        #expect(Self.error("{{items}}").hasSuffix("'items' is not a single value; use a section [TTP003]"))
        #expect(Self.error("{{{name}}}").hasPrefix("t.mustache:1:1: error: '{{{' is not supported"))
        #expect(Self.error("{{&name}}").hasSuffix("[TTP001]"))
        #expect(Self.error("{{=<% %>=}}").hasSuffix("[TTP001]"))
        #expect(Self.error("\n{{#items}}x") == "t.mustache:2:1: error: 'items' is never closed [TTP001]")
        #expect(Self.error("{{#items}}{{/nested}}").hasPrefix("t.mustache:1:11: error: '{{/nested}}' closes 'items'"))
        #expect(Self.error("{{name") == "t.mustache:1:1: error: the tag is not closed on its line [TTP001]")
        #expect(Self.error("{{>nope}}") == "t.mustache:1:1: error: no bundled template is named 'nope' [TTP004]")
        #expect(Self.error("{{>self}}", library: ["self": "{{>self}}"]).hasSuffix("nest deeper than 16 [TTP001]"))
        // An error inside an overriding block names the overriding file.
        #expect(
            Self.error("{{<p}}\n{{$b}}\n{{gone}}\n{{/b}}\n{{/p}}", library: ["p": "{{$b}}{{/b}}"])
                == "t.mustache:3:1: error: the context has no value 'gone' [TTP002]")
    }
}
