import ConnectionCore
import Foundation
import Testing

@Suite("Hex dumps of binary bodies")
struct HexDumpTests {
    @Test func sixteenBytesALineWithOffsetsAndPrintableText() {
        let bytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0xFF, 0x41])
        let lines = ExchangeTranscript.hexLines(bytes)
        #expect(lines == [
            "00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52 |.PNG........IHDR|",
            "00000010  ff 41                                            |.A|",
        ])
        #expect(ExchangeTranscript.hexLines(Data()).isEmpty)
    }
}
