// One status line per request, with a CRC when the request carried one (or CRC ON). Every
// answer goes through here, so the rule is implemented once. Fields are appended to
// Line between Ok() (or Error) and Send().
namespace PumpFirmware.Protocol
{
    /// <summary>Builds and sends the status line answering the current request.</summary>
    public sealed class StatusReply
    {
        private readonly LineWriter _line;
        private bool _withCrc;
        private bool _sent;

        /// <summary>The application whose pending changes are made durable before the status line
        /// leaves the device, or null. A status line is a promise: once a host has read "OK" to a
        /// PTM request, a power cut must not be able to erase that grant from the PTM history
        /// (which would let the next request through inside the lockout).</summary>
        internal PumpFirmware.App.PumpApplication CommitBeforeSend;

        /// <summary>Creates a reply writer over the device's line writer.</summary>
        public StatusReply(LineWriter line)
        {
            _line = line;
        }

        /// <summary>The line being built (append <c> key=value</c> fields after <see cref="Ok"/>).</summary>
        public LineWriter Line { get { return _line; } }

        /// <summary>True once the status line for the current request was sent.</summary>
        public bool Sent { get { return _sent; } }

        /// <summary>Starts answering a new request.</summary>
        /// <param name="withCrc">True when the request carried a CRC.</param>
        public void Reset(bool withCrc)
        {
            _withCrc = withCrc;
            _sent = false;
        }

        /// <summary>Starts an <c>OK</c> line; add fields to <see cref="Line"/>, then <see cref="Send"/>.</summary>
        public void Ok()
        {
            _line.Begin();
            _line.Append("OK");
        }

        /// <summary>Starts an <c>ERR code text</c> line; more may be appended, then <see cref="Send"/>.</summary>
        public void Error(int code, string text)
        {
            _line.Begin();
            _line.Append("ERR ");
            _line.AppendInteger(code);
            if (text != null && text.Length > 0)
            {
                _line.Append(' ');
                _line.Append(text);
            }
        }

        /// <summary>Sends the status line. A line that overflowed becomes <c>ERR 500</c>.</summary>
        public void Send()
        {
            if (_line.Overflow)
            {
                _line.Replace("ERR 500 response too long");
            }
            if (CommitBeforeSend != null && !CommitBeforeSend.FlushPersistence())
            {
                // The request's change could not be stored: it was rolled back (PROTOCOL.md, storage failure).
                _line.Replace("ERR 500 storage");
            }
            _line.Send(_withCrc);
            _sent = true;
        }

        /// <summary>Sends <c>OK</c> with no fields.</summary>
        public void SendOk()
        {
            Ok();
            Send();
        }

        /// <summary>Sends <c>ERR code text</c>.</summary>
        public void SendError(int code, string text)
        {
            Error(code, text);
            Send();
        }

        /// <summary>Whether lines answering this request carry a CRC (for `!LOG` lines sent before the OK).</summary>
        public bool WithCrc { get { return _withCrc; } }
    }
}
