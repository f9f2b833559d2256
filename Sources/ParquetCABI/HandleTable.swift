/// The live objects behind ``HandleToken``s: a slot per object, reused with a new generation
/// once released, retired when its generation runs out. Not synchronised (``HandleRegistry``
/// holds it under a lock); generic only so tests can fill it without opening files.
struct HandleTable<Object: AnyObject> {
    /// One table entry: the generation of its latest token and the object, nil while free.
    private struct Slot {
        var generation: Int
        var object: Object?
    }

    private var slots: [Slot] = []
    /// Free slots that can take another generation, most recently released last (so a
    /// released slot is reused first, and stale tokens of it are refused by generation).
    private var free: [Int] = []
    /// How many slots there may be (at most ``HandleToken/slotLimit``).
    let slotLimit: Int
    /// The generation that retires a slot (at most ``HandleToken/generationLimit``).
    let generationLimit: Int

    /// An empty table.
    /// - Parameters:
    ///   - slotLimit: The most objects live at once (tests pass a small one).
    ///   - generationLimit: The last generation of a slot before it is retired (tests pass a
    ///     small one to see retirement).
    init(slotLimit: Int = HandleToken.slotLimit, generationLimit: Int = HandleToken.generationLimit) {
        precondition(slotLimit >= 1 && slotLimit <= HandleToken.slotLimit)
        precondition(generationLimit >= 1 && generationLimit <= HandleToken.generationLimit)
        self.slotLimit = slotLimit
        self.generationLimit = generationLimit
    }

    /// The objects live now.
    var count: Int { slots.count - free.count - retired }
    /// Slots that used their last generation and are never handed out again.
    private(set) var retired = 0

    /// Makes `object` live under a token no earlier object had.
    /// - Parameter object: The object the token will name.
    /// - Returns: The token, or nil when every slot is live or retired.
    mutating func insert(_ object: Object) -> HandleToken? {
        let index: Int
        if let reused = free.popLast() {
            index = reused
        } else {
            guard slots.count < slotLimit else { return nil }
            slots.append(Slot(generation: 0, object: nil))
            index = slots.count - 1
        }
        slots[index].generation += 1
        slots[index].object = object
        return HandleToken(slot: index, generation: slots[index].generation)
    }

    /// The object `token` names while it is live.
    /// - Parameter token: A token from ``insert(_:)`` (or one decoded from any C value).
    /// - Returns: nil when the token was released, its slot reused, or never made.
    func lookup(_ token: HandleToken) -> Object? {
        guard token.slot < slots.count, slots[token.slot].generation == token.generation else { return nil }
        return slots[token.slot].object
    }

    /// Releases the object `token` names; the token is dead from now on.
    /// - Parameter token: A token from ``insert(_:)``.
    /// - Returns: The object, or nil when the token was not live (nothing changes then).
    mutating func remove(_ token: HandleToken) -> Object? {
        guard let object = lookup(token) else { return nil }
        slots[token.slot].object = nil
        if slots[token.slot].generation < generationLimit {
            free.append(token.slot)
        } else {
            retired += 1
        }
        return object
    }
}
