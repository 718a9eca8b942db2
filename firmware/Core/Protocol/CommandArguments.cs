// The argument grammar every handler shares: the number of arguments (answered with the
// command's usage from CommandTable), protocol numbers, plain integers, and the 422 text of a
// value out of range. Each reader sends the 400 itself and returns false, so a handler reads
// `if (!_args.Number(1, "ug_day", out rate)) return;` and nothing has changed when it stops.
namespace PumpFirmware.Protocol
{
    /// <summary>Reads and checks the arguments of the current request, answering ERR 400/422 when they fail.</summary>
    internal sealed class CommandArguments
    {
        private readonly RequestLine _request;
        private readonly StatusReply _reply;

        /// <summary>Creates the readers over the processor's request and reply.</summary>
        public CommandArguments(RequestLine request, StatusReply reply)
        {
            _request = request;
            _reply = reply;
        }

        /// <summary>The current request's index in <see cref="CommandTable"/> (for its usage text).</summary>
        public int Command { get; set; }

        /// <summary>True when the request has exactly <paramref name="expected"/> arguments; else answers the usage (400).</summary>
        public bool Expect(int expected)
        {
            if (_request.ArgumentCount == expected && !_request.TooManyWords) return true;
            WrongCount();
            return false;
        }

        /// <summary>Answers <c>ERR 400 wrong number of arguments: &lt;usage&gt;</c>.</summary>
        public void WrongCount()
        {
            _reply.Error(400, "wrong number of arguments: ");
            _reply.Line.Append(CommandTable.Usage(Command));
            _reply.Send();
        }

        /// <summary>A protocol number in thousandths; answers 400 when malformed.</summary>
        public bool Number(int index, string key, out long thousandths)
        {
            if (_request.TryNumberThousandths(index, out thousandths)) return true;
            _reply.SendError(400, "malformed number: " + key);
            return false;
        }

        /// <summary>Whole minutes or seconds: a plain integer <c>[0-9]+</c> (PROTOCOL.md: <c>2.5</c> and <c>2.0</c> are
        /// malformed, 400). Saturates at long.MaxValue, so a well-formed value however large is 422 downstream.</summary>
        public bool WholeNumber(int index, string key, out long value)
        {
            if (_request.TryCount(index, out value)) return true;
            _reply.SendError(400, "malformed number: " + key + " (whole number, digits only)");
            return false;
        }

        /// <summary>A count <c>[0-9]+</c> (saturating, so a huge one is 422 downstream); answers 400 when malformed.</summary>
        public bool Count(int index, string key, out long value)
        {
            if (_request.TryCount(index, out value)) return true;
            _reply.SendError(400, "malformed count: " + key + " (digits only)");
            return false;
        }

        /// <summary>Answers <c>ERR 422 key=value out of range range</c>.</summary>
        public void OutOfRange(string key, long value, string range)
        {
            _reply.Error(422, key);
            _reply.Line.Append('=');
            _reply.Line.AppendInteger(value);
            _reply.Line.Append(" out of range ");
            _reply.Line.Append(range);
            _reply.Send();
        }
    }
}
