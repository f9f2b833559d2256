extension Int32: FixedWidthPhysicalValue {
    /// The two's complement bits of the value.
    @inlinable
    public var physicalBitPattern: UInt32 { UInt32(bitPattern: self) }

    /// Recreates the value from its two's complement bits.
    /// - Parameter physicalBitPattern: The bits.
    @inlinable
    public init(physicalBitPattern: UInt32) { self.init(bitPattern: physicalBitPattern) }
}

extension Int64: FixedWidthPhysicalValue {
    /// The two's complement bits of the value.
    @inlinable
    public var physicalBitPattern: UInt64 { UInt64(bitPattern: self) }

    /// Recreates the value from its two's complement bits.
    /// - Parameter physicalBitPattern: The bits.
    @inlinable
    public init(physicalBitPattern: UInt64) { self.init(bitPattern: physicalBitPattern) }
}

extension Float: FixedWidthPhysicalValue {
    /// The IEEE 754 binary32 bits of the value.
    @inlinable
    public var physicalBitPattern: UInt32 { bitPattern }

    /// Recreates the value from its IEEE 754 binary32 bits.
    /// - Parameter physicalBitPattern: The bits.
    @inlinable
    public init(physicalBitPattern: UInt32) { self.init(bitPattern: physicalBitPattern) }
}

extension Double: FixedWidthPhysicalValue {
    /// The IEEE 754 binary64 bits of the value.
    @inlinable
    public var physicalBitPattern: UInt64 { bitPattern }

    /// Recreates the value from its IEEE 754 binary64 bits.
    /// - Parameter physicalBitPattern: The bits.
    @inlinable
    public init(physicalBitPattern: UInt64) { self.init(bitPattern: physicalBitPattern) }
}
