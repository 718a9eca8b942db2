// HELP and ECHO: what a person at a terminal needs and a client program does not (docs/PROTOCOL-GUIDE.md),
// beside the processor like ProgramCommands: the processor has checked the CRC and found the command
// before it calls here.
using PumpFirmware.App;

namespace PumpFirmware.Protocol
{
    /// <summary>Handlers of the terminal commands; each sends exactly one status line (HELP its !HELP lines first).</summary>
    internal sealed class TerminalCommands
    {
        private readonly PumpApplication _app;
        private readonly RequestLine _request;
        private readonly StatusReply _reply;
        private readonly CommandArguments _args;

        /// <summary>Creates the handlers over the processor's request, reply and argument readers.</summary>
        public TerminalCommands(PumpApplication app, RequestLine request, StatusReply reply, CommandArguments args)
        {
            _app = app;
            _request = request;
            _reply = reply;
            _args = args;
        }

        /// <summary>HELP [command]: one <c>!HELP NAME args auth=YES|NO</c> line per command (or the one named), then
        /// <c>OK count=</c>; 400 for a command it does not know.</summary>
        public void Help()
        {
            int args = _request.ArgumentCount;
            if (args > 1 || _request.TooManyWords)
            {
                _args.WrongCount();
                return;
            }
            int only = -1;
            if (args == 1)
            {
                only = CommandTable.Find(_request, 1);
                if (only < 0)
                {
                    _reply.SendError(400, "unknown command (HELP lists them)");
                    return;
                }
            }
            LineWriter w = _app.Writer;
            int count = 0;
            for (int i = 0; i < CommandTable.Count; i++)
            {
                if (only >= 0 && i != only) continue;
                w.Begin();
                w.Append("!HELP ");
                w.Append(CommandTable.Name(i));
                string arguments = CommandTable.Arguments(i);
                if (arguments.Length > 0)
                {
                    w.Append(' ');
                    w.Append(arguments);
                }
                w.AppendField("auth", CommandTable.NeedsAuth(i) ? "YES" : "NO");
                w.Send(_reply.WithCrc);
                count++;
            }
            _reply.Ok();
            _reply.Line.AppendField("count", count);
            _reply.Send();
        }

        /// <summary>ECHO ON|OFF: the terminal echo of typed characters.</summary>
        public void Echo()
        {
            if (!_args.Expect(1)) return;
            if (_request.Is(1, "ON"))
            {
                _app.SetTerminalEcho(true);
            }
            else if (_request.Is(1, "OFF"))
            {
                _app.SetTerminalEcho(false);
            }
            else
            {
                _reply.SendError(400, "malformed argument (ON or OFF)");
                return;
            }
            _reply.SendOk();
        }
    }
}
