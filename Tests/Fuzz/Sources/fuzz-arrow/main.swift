import FuzzSupport

// The target's code is in Target.swift; see FuzzSupport/Driver.swift for why main calls the driver.
runLibFuzzer(writeSeeds: { writeArrowSeeds(into: $0) })
