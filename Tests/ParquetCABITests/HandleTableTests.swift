import Testing

@testable import ParquetCABI

/// The handle table and token layout on their own: tokens never repeat, stale ones never
/// reach a later object, slots retire when their generations run out.
@Suite struct HandleTableTests {
    final class Object {}

    @Test func tokensRoundTripAndCarryTheTag() throws {
        for (slot, generation) in [(0, 1), (1, 1), (HandleToken.slotLimit - 1, HandleToken.generationLimit), (12_345, 678)] {
            let token = HandleToken(slot: slot, generation: generation)
            let bits = UInt(bitPattern: token.pointer)
            #expect(bits >> 48 == 0xA5C3)
            #expect(HandleToken(token.pointer) == token)
        }
        // Not tokens: a heap address, the wrong tag, generation 0.
        let object = Object()
        #expect(HandleToken(Unmanaged.passUnretained(object).toOpaque()) == nil)
        #expect(HandleToken(UnsafeMutableRawPointer(bitPattern: UInt(0xA5C4) << 48 | 1 << 20)!) == nil)
        #expect(HandleToken(UnsafeMutableRawPointer(bitPattern: UInt(0xA5C3) << 48 | 7)!) == nil)
    }

    @Test func staleTokensNeverReachALaterObject() {
        var table = HandleTable<Object>()
        var live: [(HandleToken, Object)] = []
        var dead: [HandleToken] = []
        var seen: Set<HandleToken> = []
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if live.isEmpty || (random >> 33) % 3 != 0 && live.count < 40 {
                let object = Object()
                guard let token = table.insert(object) else { Issue.record("table full"); return }
                #expect(seen.insert(token).inserted, "token \(token) handed out twice")
                live.append((token, object))
            } else {
                let (token, object) = live.remove(at: Int((random >> 40) % UInt64(live.count)))
                #expect(table.remove(token) === object)
                #expect(table.remove(token) == nil, "removed twice")
                dead.append(token)
            }
        }
        #expect(table.count == live.count)
        for (token, object) in live { #expect(table.lookup(token) === object) }
        #expect(dead.allSatisfy { table.lookup($0) == nil })
        #expect(Set(dead.map(\.slot)).count < 64, "slots are reused (at most 40 live at once)")
    }

    @Test func aSlotRetiresWhenItsGenerationsRunOut() {
        var table = HandleTable<Object>(slotLimit: 2, generationLimit: 3)
        var tokens: [HandleToken] = []
        for _ in 0..<6 {
            guard let token = table.insert(Object()) else { Issue.record("refused too early"); return }
            tokens.append(token)
            #expect(table.remove(token) != nil)
        }
        #expect(tokens.map { [$0.slot, $0.generation] } == [[0, 1], [0, 2], [0, 3], [1, 1], [1, 2], [1, 3]])
        #expect(table.insert(Object()) == nil, "every slot retired: nothing more is handed out")
        #expect(tokens.allSatisfy { table.lookup($0) == nil })
        #expect(table.count == 0)
    }

    @Test func aFullTableRefusesUntilASlotIsFreed() throws {
        var table = HandleTable<Object>(slotLimit: 2)
        let first = table.insert(Object()), second = table.insert(Object())
        #expect(first != nil && second != nil)
        #expect(table.insert(Object()) == nil)
        _ = table.remove(try #require(first))
        let third = try #require(table.insert(Object()) as HandleToken?)
        #expect(third.slot == first?.slot && third.generation == (first?.generation ?? 0) + 1)
        #expect(table.lookup(try #require(first)) == nil)
    }
}
