// The few file operations the record store needs, so that its write-then-rename protocol is
// the same code on littlefs (I:\ on the ESP32) and on a temporary folder in the host tests.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>A minimal file system: whole-file reads, create-and-write, append, delete, rename.</summary>
    public interface IFileSystem
    {
        /// <summary>True when the file exists.</summary>
        bool Exists(string path);

        /// <summary>Reads the file into the buffer (at most buffer.Length bytes).</summary>
        /// <returns>The file's length in bytes, or -1 when it does not exist.</returns>
        int ReadAll(string path, byte[] buffer);

        /// <summary>Creates or truncates the file, writes the bytes, flushes and closes it.</summary>
        void WriteNew(string path, byte[] buffer, int offset, int count);

        /// <summary>Appends the bytes (creating the file), flushes and closes it.</summary>
        void Append(string path, byte[] buffer, int offset, int count);

        /// <summary>Removes the file; no error when it does not exist.</summary>
        void Delete(string path);

        /// <summary>Renames a file; the destination must not exist.</summary>
        void Rename(string fromPath, string toPath);
    }
}
