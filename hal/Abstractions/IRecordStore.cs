// Persistent storage as a few numbered files (littlefs on the ESP32, a folder on the host).
// The store promises nothing about atomicity: a write may be cut at any byte by a power loss.
// The journal in firmware/Core/Storage makes state durable on top of it (two copies, CRC,
// sequence numbers), so the same crash-safety logic runs on the device and in the tests.
namespace PumpFirmware.Hal
{
    /// <summary>Numbered byte files that survive a reset.</summary>
    public interface IRecordStore
    {
        /// <summary>Reads file <paramref name="fileId"/> into the buffer.</summary>
        /// <returns>The file's length in bytes (may exceed the buffer; only buffer.Length bytes
        /// are copied), or -1 when the file does not exist.</returns>
        int Read(int fileId, byte[] buffer);

        /// <summary>Replaces file <paramref name="fileId"/> with the bytes given.</summary>
        void Write(int fileId, byte[] buffer, int offset, int count);

        /// <summary>Appends the bytes given to file <paramref name="fileId"/> (creates it).</summary>
        void Append(int fileId, byte[] buffer, int offset, int count);

        /// <summary>Removes file <paramref name="fileId"/>; no error if it does not exist.</summary>
        void Delete(int fileId);
    }
}
