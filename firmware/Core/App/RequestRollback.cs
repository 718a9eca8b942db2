// PROTOCOL.md, storage failure: a request whose change cannot be made durable is answered
// `ERR 500 storage` and changes nothing. The change is made in memory before it is committed
// (the status line waits for the commit), so the application keeps the state as it stood before
// each request that may change it and puts it back when the commit fails. One buffer of the
// image's size, allocated once when persistence is attached; nothing per request but the copy.
namespace PumpFirmware.App
{
    /// <summary>The durable state as it stood before the request in progress.</summary>
    public sealed class RequestRollback
    {
        private readonly int _maxBytes;
        private byte[] _image;
        private int _length = -1;

        /// <summary>Room for an image of <paramref name="maxBytes"/>; the buffer is allocated at <see cref="Allocate"/>.</summary>
        public RequestRollback(int maxBytes)
        {
            _maxBytes = maxBytes;
        }

        /// <summary>Allocates the buffer (once).</summary>
        public void Allocate()
        {
            if (_image == null) _image = new byte[_maxBytes];
        }

        /// <summary>The buffer (null before <see cref="Allocate"/>).</summary>
        public byte[] Image { get { return _image; } }

        /// <summary>Length of the kept image, or -1 when none is kept.</summary>
        public int Length { get { return _length; } set { _length = value; } }

        /// <summary>The log's next sequence number before the request.</summary>
        public long LogNextSeq;

        /// <summary>Reasons to persist that were pending before the request.</summary>
        public int DirtyReasons;

        /// <summary>Whether a session was open before the request.</summary>
        public bool Authorized;

        /// <summary>Session activity before the request, device timeline µs.</summary>
        public long LastRequestMicros;
    }
}
