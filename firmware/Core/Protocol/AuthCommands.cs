// AUTH, LOGOUT and PIN (PROTOCOL.md, authorisation), beside the processor like ProgramCommands: the
// processor has checked the CRC, found the command and checked auth (PIN needs a session) before it
// calls here. The wrong-PIN count and the lock are Auth's; these handlers answer and log them.
using PumpFirmware.App;
using PumpFirmware.Log;

namespace PumpFirmware.Protocol
{
    /// <summary>Handlers of the session commands; each sends exactly one status line.</summary>
    internal sealed class AuthCommands
    {
        private readonly PumpApplication _app;
        private readonly RequestLine _request;
        private readonly StatusReply _reply;
        private readonly CommandArguments _args;
        private readonly char[] _pin = new char[8];

        /// <summary>Creates the handlers over the processor's request, reply and argument readers.</summary>
        public AuthCommands(PumpApplication app, RequestLine request, StatusReply reply, CommandArguments args)
        {
            _app = app;
            _request = request;
            _reply = reply;
            _args = args;
        }

        /// <summary>AUTH pin: opens a session (<c>OK session_s=</c>), or 403 <c>attempts_left=</c> (logged AUTH_FAIL), or
        /// 429 <c>for_s=</c> while the PIN is locked; 400 for a malformed PIN. Every attempt is persisted (the lock
        /// survives a reset).</summary>
        public void Authenticate(long now)
        {
            if (!_args.Expect(1)) return;
            if (!_request.IsPin(1))
            {
                _reply.SendError(400, "malformed pin (4 to 8 digits)");
                return;
            }
            Auth auth = _app.Auth;
            int length = _request.CopyWord(1, _pin);
            int result = auth.TryAuth(_pin, length, now);
            ClearPin();
            _app.MarkDirty(PersistReasons.Command);
            if (result == Auth.Granted)
            {
                _reply.Ok();
                _reply.Line.AppendField("session_s", Auth.SessionMicros / 1000000);
                _reply.Send();
            }
            else if (result == Auth.WrongPin)
            {
                int left = auth.AttemptsLeft;
                _app.AppendLog(now, EventLogTypes.AuthFail, 0, left, 0);
                _reply.Error(403, "wrong pin");
                _reply.Line.AppendField("attempts_left", left);
                _reply.Send();
            }
            else
            {
                long forSeconds = auth.LockRemainingSeconds(now);
                _app.AppendLog(now, EventLogTypes.AuthFail, 1, forSeconds, 0);
                _reply.Error(429, "pin locked");
                _reply.Line.AppendField("for_s", forSeconds);
                _reply.Send();
            }
        }

        /// <summary>LOGOUT: ends the session.</summary>
        public void Logout()
        {
            if (!_args.Expect(0)) return;
            _app.Auth.Logout();
            _reply.SendOk();
        }

        /// <summary>PIN new (auth): sets a new PIN (logged, persisted); 400 for a malformed one.</summary>
        public void ChangePin(long now)
        {
            if (!_args.Expect(1)) return;
            if (!_request.IsPin(1))
            {
                _reply.SendError(400, "malformed pin (4 to 8 digits)");
                return;
            }
            int length = _request.CopyWord(1, _pin);
            _app.Auth.SetPin(_pin, length);
            ClearPin();
            _app.AppendLog(now, EventLogTypes.Pin, 0, 0, 0);
            _app.MarkDirty(PersistReasons.Command);
            _reply.SendOk();
        }

        // The PIN's digits are copied into one buffer for the check and wiped at once, so none stays in memory.
        private void ClearPin()
        {
            for (int i = 0; i < _pin.Length; i++) _pin[i] = '\0';
        }
    }
}
