// IFileSystem on nanoFramework's System.IO.FileSystem, which on the ESP32 serves the internal
// littlefs partition as drive I:. RenamingRecordStore builds the crash-safe write on top.
using System.IO;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>The record store's file operations on the ESP32's internal drive.</summary>
    public sealed class Esp32LittleFsFileSystem : Logic.IFileSystem
    {
        /// <inheritdoc />
        public bool Exists(string path)
        {
            return File.Exists(path);
        }

        /// <inheritdoc />
        public int ReadAll(string path, byte[] buffer)
        {
            if (!File.Exists(path))
            {
                return -1;
            }

            FileStream stream = new FileStream(path, FileMode.Open);
            try
            {
                long length = stream.Length;
                int wanted = length < buffer.Length ? (int)length : buffer.Length;
                int done = 0;
                while (done < wanted)
                {
                    int read = stream.Read(buffer, done, wanted - done);
                    if (read <= 0)
                    {
                        break;
                    }

                    done += read;
                }

                return (int)length;
            }
            finally
            {
                stream.Close();
            }
        }

        /// <inheritdoc />
        public void WriteNew(string path, byte[] buffer, int offset, int count)
        {
            FileStream stream = new FileStream(path, FileMode.Create);
            try
            {
                stream.Write(buffer, offset, count);
                stream.Flush();
            }
            finally
            {
                stream.Close();
            }
        }

        /// <inheritdoc />
        public void Append(string path, byte[] buffer, int offset, int count)
        {
            FileStream stream = new FileStream(path, FileMode.Append);
            try
            {
                stream.Write(buffer, offset, count);
                stream.Flush();
            }
            finally
            {
                stream.Close();
            }
        }

        /// <inheritdoc />
        public void Delete(string path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        /// <inheritdoc />
        public void Rename(string fromPath, string toPath)
        {
            File.Move(fromPath, toPath);
        }
    }
}
