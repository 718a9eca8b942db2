// Model of nanoFramework.System.IO.FileSystem 1.1.93 / System.IO.Streams 1.1.96 on the ESP32's
// internal littlefs drive (I:), and of nanoFramework.Runtime.Native's Power.
//  - Files live in memory; paths compare without case. File.Move refuses an existing
//    destination (the facade's note; File.cs checks first).
//  - Every operation that writes flash (a write reaching the drive on Flush/Close, create,
//    delete, rename) stalls the CPU for a while and, with it, every interrupt handler that is
//    not in IRAM (the RMT refill, esp_timer callbacks): NativeBoard.FlashOperation. The costs
//    are model assumptions to be measured on a board: 1 ms per metadata operation, 1 ms per
//    256 bytes programmed, and a 45 ms sector erase for every 4096 bytes written.
//  - Power.RebootDevice is counted, not performed.
using System;
using PumpFirmware.Esp32.NativeModel;

namespace System
{
    /// <summary>nanoFramework mscorlib's byte span (CoreLibrary 1.17.11 System/SpanByte.cs), as far
    /// as the stream and I2C signatures need it.</summary>
    public readonly ref struct SpanByte
    {
        private readonly byte[] _array;
        private readonly int _start;
        private readonly int _length;

        public SpanByte(byte[] array)
        {
            _array = array;
            _start = 0;
            _length = array == null ? 0 : array.Length;
        }

        public SpanByte(byte[] array, int start, int length)
        {
            _array = array;
            _start = start;
            _length = length;
        }

        public byte this[int index]
        {
            get { return _array[_start + index]; }
            set { _array[_start + index] = value; }
        }

        public int Length { get { return _length; } }

        public static implicit operator SpanByte(byte[] array)
        {
            return new SpanByte(array);
        }
    }
}

namespace System.IO
{
    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }

    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }

    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract bool CanRead { get; }

        public abstract bool CanSeek { get; }

        public abstract bool CanWrite { get; }

        public abstract long Length { get; }

        public abstract long Position { get; set; }

        public virtual void Close()
        {
            Dispose(true);
        }

        public void Dispose()
        {
            Close();
        }

        protected virtual void Dispose(bool disposing)
        {
        }

        public abstract void Flush();

        public abstract long Seek(long offset, SeekOrigin origin);

        public abstract void SetLength(long value);

        public abstract int Read(SpanByte buffer);

        public abstract int Read(byte[] buffer, int offset, int count);

        public abstract void Write(byte[] buffer, int offset, int count);
    }

    public static class File
    {
        public static bool Exists(string path)
        {
            return NativeBoard.FileExists(path);
        }

        public static void Delete(string path)
        {
            NativeBoard.FileDelete(path);
        }

        /// <summary>Throws IOException when the destination exists (the package checks first).</summary>
        public static void Move(string sourceFileName, string destFileName)
        {
            NativeBoard.FileMove(sourceFileName, destFileName);
        }

        public static FileStream Open(string path, FileMode mode)
        {
            return new FileStream(path, mode);
        }
    }

    public class FileStream : Stream
    {
        private readonly string _path;
        private byte[] _data;
        private long _position;
        private bool _dirty;
        private bool _closed;

        public FileStream(string path, FileMode mode)
        {
            _path = path;
            _data = NativeBoard.FileOpen(path, mode);
            _position = mode == FileMode.Append ? _data.Length : 0;
            _dirty = mode != FileMode.Open && mode != FileMode.Append;
        }

        public override bool CanRead { get { return true; } }

        public override bool CanSeek { get { return true; } }

        public override bool CanWrite { get { return true; } }

        public override long Length { get { return _data.Length; } }

        public override long Position { get { return _position; } set { _position = value; } }

        public string Name { get { return _path; } }

        public override void Close()
        {
            if (!_closed)
            {
                Flush();
                _closed = true;
            }
        }

        public override void Flush()
        {
            if (_dirty)
            {
                NativeBoard.FileCommit(_path, _data);
                _dirty = false;
            }
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            _position = origin == SeekOrigin.Begin ? offset : origin == SeekOrigin.Current ? _position + offset : _data.Length + offset;
            return _position;
        }

        public override void SetLength(long value)
        {
            Array.Resize(ref _data, (int)value);
            _dirty = true;
        }

        public override int Read(SpanByte buffer)
        {
            throw new NotSupportedException("model");
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Max(0, Math.Min(count, _data.Length - _position));
            Array.Copy(_data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_closed)
            {
                throw new ObjectDisposedException("FileStream");
            }

            long end = _position + count;
            if (end > _data.Length)
            {
                Array.Resize(ref _data, (int)end);
            }

            Array.Copy(buffer, offset, _data, _position, count);
            _position = end;
            _dirty = true;
        }
    }
}

namespace nanoFramework.Runtime.Native
{
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
        EnterProprietaryBooter = 8,
    }

    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot)
        {
            NativeBoard.Log("Power.RebootDevice");
            lock (NativeBoard.Sync)
            {
                NativeBoard.RebootRequests++;
            }
        }
    }
}

namespace PumpFirmware.Esp32.NativeModel
{
    using System.Collections.Generic;
    using System.IO;

    public static partial class NativeBoard
    {
        /// <summary>Model assumption: one littlefs metadata operation, µs.</summary>
        public const long FlashMetadataMicros = 1000;

        /// <summary>Model assumption: programming 256 bytes, µs.</summary>
        public const long FlashProgramMicrosPer256 = 1000;

        /// <summary>Model assumption: one 4 kB sector erase, µs (ESP32 flash chips: ~45 ms typical).</summary>
        public const long FlashSectorEraseMicros = 45000;

        private static readonly Dictionary<string, byte[]> s_files = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        private static long s_bytesSinceErase;

        /// <summary>Flash operations the file system performed since the reset.</summary>
        public static int FlashOperations { get; private set; }

        private static void ResetFiles()
        {
            s_files.Clear();
            s_bytesSinceErase = 0;
            FlashOperations = 0;
        }

        /// <summary>The drive's files now (a copy), for tests.</summary>
        public static Dictionary<string, byte[]> Files()
        {
            lock (Sync)
            {
                return new Dictionary<string, byte[]>(s_files, StringComparer.OrdinalIgnoreCase);
            }
        }

        internal static bool FileExists(string path)
        {
            lock (Sync)
            {
                return s_files.ContainsKey(path);
            }
        }

        internal static byte[] FileOpen(string path, FileMode mode)
        {
            lock (Sync)
            {
                bool exists = s_files.TryGetValue(path, out byte[] data);
                if ((mode == FileMode.Open || mode == FileMode.Truncate) && !exists)
                {
                    throw new IOException("file not found");
                }

                if (mode == FileMode.CreateNew && exists)
                {
                    throw new IOException("file exists");
                }

                if (mode == FileMode.Create || mode == FileMode.CreateNew || mode == FileMode.Truncate || !exists)
                {
                    return new byte[0];
                }

                return (byte[])data.Clone();
            }
        }

        internal static void FileCommit(string path, byte[] data)
        {
            long cost;
            lock (Sync)
            {
                s_files[path] = (byte[])data.Clone();
                s_bytesSinceErase += data.Length;
                cost = FlashMetadataMicros + (((data.Length + 255) / 256) * FlashProgramMicrosPer256);
                if (s_bytesSinceErase >= 4096)
                {
                    s_bytesSinceErase -= 4096;
                    cost += FlashSectorEraseMicros;
                }

                FlashOperations++;
            }

            FlashOperation(cost);
        }

        internal static void FileDelete(string path)
        {
            bool existed;
            lock (Sync)
            {
                existed = s_files.Remove(path);
                if (existed)
                {
                    FlashOperations++;
                }
            }

            if (existed)
            {
                FlashOperation(FlashMetadataMicros);
            }
        }

        internal static void FileMove(string from, string to)
        {
            lock (Sync)
            {
                if (!s_files.TryGetValue(from, out byte[] data))
                {
                    throw new IOException("source not found");
                }

                if (s_files.ContainsKey(to))
                {
                    throw new IOException("destination exists");
                }

                s_files.Remove(from);
                s_files[to] = data;
                FlashOperations++;
            }

            FlashOperation(FlashMetadataMicros);
        }
    }
}
