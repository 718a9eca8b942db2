// Facade of nanoFramework.System.IO.FileSystem 1.1.93 (reference only; bodies throw null).
namespace System.IO
{
    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode) { throw null; }

        public override bool CanRead { get { throw null; } }

        public override bool CanSeek { get { throw null; } }

        public override bool CanWrite { get { throw null; } }

        public override long Length { get { throw null; } }

        public override long Position { get { throw null; } set { throw null; } }

        public string Name { get { throw null; } }

        public override void Close() { throw null; }

        public override void Flush() { throw null; }

        public override long Seek(long offset, SeekOrigin origin) { throw null; }

        public override void SetLength(long value) { throw null; }

        public override int Read(SpanByte buffer) { throw null; }

        public override int Read(byte[] buffer, int offset, int count) { throw null; }

        public override void Write(byte[] buffer, int offset, int count) { throw null; }
    }
}
