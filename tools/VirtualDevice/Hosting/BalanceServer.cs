// The simulated lab balance on a second pseudo-terminal: MT-SICS lines in (CR LF or LF),
// one answer line out (CR LF), as a Mettler Toledo balance on a USB serial adapter answers.
using System.Text;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.VirtualDevice.Pty;

namespace PumpFirmware.VirtualDevice.Hosting;

/// <summary>Serves a <see cref="SimBalance"/> on a pty until disposed.</summary>
public sealed class BalanceServer : IDisposable
{
    private readonly PosixPty _pty;
    private readonly SimBalance _balance;
    private readonly object _syncRoot;
    private readonly Thread _thread;

    /// <summary>Opens the pty and starts answering.</summary>
    /// <param name="balance">The balance.</param>
    /// <param name="syncRoot">Held while reading the balance (the pump runs on another thread).</param>
    public BalanceServer(SimBalance balance, object syncRoot)
    {
        _balance = balance;
        _syncRoot = syncRoot;
        // A balance answers a request at a time; one nobody reads is dropped after a second, as before.
        _pty = PosixPty.Open();
        _pty.WriteTimeoutMillis = 1000;
        _thread = new Thread(Serve) { IsBackground = true, Name = "balance" };
        _thread.Start();
    }

    /// <summary>The path a client opens.</summary>
    public string Path => _pty.SlavePath;

    private void Serve()
    {
        var buffer = new byte[256];
        var line = new StringBuilder();
        while (true)
        {
            int n = _pty.Read(buffer, 0, buffer.Length);
            if (n <= 0) return;
            for (int i = 0; i < n; i++)
            {
                char c = (char)buffer[i];
                if (c == '\r') continue;
                if (c != '\n')
                {
                    if (line.Length < 200) line.Append(c);
                    continue;
                }
                string answer;
                lock (_syncRoot) answer = _balance.Respond(line.ToString());
                line.Clear();
                _pty.Write(Encoding.ASCII.GetBytes(answer + "\r\n"));
            }
        }
    }

    /// <summary>Closes the pty.</summary>
    public void Dispose() => _pty.Dispose();
}
