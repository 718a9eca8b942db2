// The protocol's byte stream: a UART on the ESP32, a pty or stdio on the virtual device.
namespace PumpFirmware.Hal
{
    /// <summary>A full-duplex byte link. Both calls are non-blocking.</summary>
    public interface ISerialLink
    {
        /// <summary>Copies up to <paramref name="count"/> received bytes into the buffer.</summary>
        /// <returns>The number of bytes copied; 0 when nothing is waiting.</returns>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Queues bytes for sending. Bytes that do not fit the transmit buffer are dropped
        /// and counted, never block delivery.</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
