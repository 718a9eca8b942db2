// The core's deterministic arithmetic, run by nanoFramework.TestFramework on nanoCLR or on an
// ESP32: the same source as the host tests cover, now on the runtime that ships (32-bit longs
// split in two words, nano's own string and char handling). Expectations are hand-computed.
using nanoFramework.TestFramework;
using PumpFirmware.Storage;
using PumpFirmware.Units;

namespace PumpFirmware.Device.Tests
{
    [TestClass]
    public class CoreUnitsDeviceTests
    {
        [TestMethod]
        public void Crc16_check_value_of_123456789_is_29B1()
        {
            Assert.AreEqual(0x29B1, Crc16.Compute("123456789"));
            Assert.AreEqual("29B1", Crc16.ToHex(0x29B1));
            int parsed;
            Assert.IsTrue(Crc16.TryParseHex("29B1", 0, out parsed));
            Assert.AreEqual(0x29B1, parsed);
        }

        [TestMethod]
        public void Fixed3_parses_exactly_into_thousandths()
        {
            long value;
            Assert.AreEqual((int)ParseStatus.Ok, (int)Fixed3.TryParse("2.4", 100000000, out value));
            Assert.AreEqual(2400L, value);
            Assert.AreEqual((int)ParseStatus.Ok, (int)Fixed3.TryParse("0.125", 100000000, out value));
            Assert.AreEqual(125L, value);
            Assert.AreEqual((int)ParseStatus.Malformed, (int)Fixed3.TryParse("1.2345", 100000000, out value));
            Assert.AreEqual((int)ParseStatus.Malformed, (int)Fixed3.TryParse("-1", 100000000, out value));
            Assert.AreEqual((int)ParseStatus.OutOfRange, (int)Fixed3.TryParse("100000.001", 100000000, out value));
        }

        [TestMethod]
        public void Fixed3_formats_exactly_three_decimals()
        {
            Assert.AreEqual("12.345", Fixed3.Format(12345));
            Assert.AreEqual("0.000", Fixed3.Format(0));
            Assert.AreEqual("2.400", Fixed3.Format(2400));
        }

        [TestMethod]
        public void WideMath_multiplies_and_divides_past_64_bits()
        {
            ulong high;
            ulong low;
            WideMath.Multiply(0xFFFFFFFFFFFFFFFFUL, 2UL, out high, out low);
            Assert.AreEqual(1UL, high);
            Assert.AreEqual(0xFFFFFFFFFFFFFFFEUL, low);

            // One day of Q32 steps at 1 step/day: (2^32 × 86_400_000_000) / 86_400_000_000 = 2^32.
            Assert.AreEqual(4294967296L, WideMath.MulDivFloor(4294967296L, 86400000000L, 86400000000L));
            Assert.AreEqual(3L, WideMath.MulDivFloor(10, 1, 3));
            Assert.AreEqual(4L, WideMath.MulDivCeil(10, 1, 3));
        }

        [TestMethod]
        public void State_writer_and_reader_round_trip_little_endian()
        {
            byte[] buffer = new byte[64];
            StateWriter writer = new StateWriter(buffer);
            writer.WriteInt(-2);
            writer.WriteLong(0x0102030405060708L);
            writer.WriteBool(true);
            writer.WriteAscii("morphine");
            Assert.IsFalse(writer.Overflow);
            Assert.AreEqual((byte)0xFE, buffer[0]);
            Assert.AreEqual((byte)0x08, buffer[4]);

            StateReader reader = new StateReader(buffer, 0, writer.Position);
            Assert.AreEqual(-2, reader.ReadInt());
            Assert.AreEqual(0x0102030405060708L, reader.ReadLong());
            Assert.IsTrue(reader.ReadBool());
            Assert.AreEqual("morphine", reader.ReadAscii());
            Assert.IsFalse(reader.Failed);
            reader.ReadInt();
            Assert.IsTrue(reader.Failed);
        }
    }
}
