import Testing
import TopologyRuntime

@Suite("LSN")
struct LSNTests {
    @Test("Parses PostgreSQL's X/Y text form and prints it back")
    func roundTrip() throws {
        let lsn = try #require(LSN("16/B374D848"))
        #expect(lsn.rawValue == 0x16_B374_D848)
        #expect(lsn.description == "16/B374D848")
        #expect(LSN("0/0") == .zero)
        #expect(LSN("ffffffff/ffffffff")?.rawValue == UInt64.max)
        #expect(LSN(rawValue: 0x1_0000_0000).description == "1/0")
        #expect(LSN("0/16b3748")?.description == "0/16B3748")
    }

    @Test(
        "Rejects text that is not X/Y with one to eight hex digits a side",
        arguments: [
            "", "/", "0/", "/0", "1", "1//2", "1/2/3", "g/0", "0/-1", " 0/1", "0/1 ", "123456789/0", "0/123456789",
        ])
    func rejects(text: String) {
        #expect(LSN(text) == nil)
    }

    @Test("Orders by WAL position, not by text")
    func ordering() throws {
        let early = try #require(LSN("9/FFFFFFFF"))
        let late = try #require(LSN("A/0"))
        #expect(early < late)
        #expect(late.bytes(after: early) == 1)
        #expect(early.bytes(after: late) == 0)
        #expect([late, early, .zero].sorted() == [.zero, early, late])
    }

    @Test("A token keeps the highest LSN it observed or merged")
    func token() {
        var token = ConsistencyToken.none
        token.observe(LSN(100))
        token.observe(LSN(50))
        #expect(token.lastCommit == LSN(100))
        token.merge(ConsistencyToken(lastCommit: LSN(300)))
        #expect(token.lastCommit == LSN(300))
    }
}
