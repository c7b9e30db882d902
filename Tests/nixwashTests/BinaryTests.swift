import XCTest

final class BinaryTests: XCTestCase {
    func testVersionRuns() throws {
        let result = try runNixwash(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertFalse(result.stdout.isEmpty)
    }
}
