// Who may change the pump: a PIN session with a lock after 5 wrong PINs in a row.
// The PIN is stored as a salted 64-bit hash, never as digits, so that a state dump or a
// debugger view of the snapshot does not show it. This is not cryptographic protection:
// there are at most 10^8 PINs, so anyone who can read the flash can also search them all;
// its integrity comes from the storage journal's CRC. The wrong-PIN count and the lock are
// on the device timeline (which counts off-time) and are persisted, so a power cycle neither
// resets the count nor shortens the lock. The session is not persisted: a reset ends it.
using PumpFirmware.Storage;

namespace PumpFirmware.Protocol
{
    /// <summary>PIN check, wrong-PIN lock and the session timeout.</summary>
    public sealed class Auth
    {
        /// <summary>A session ends this long after the last request, µs (600 s).</summary>
        public const long SessionMicros = 600L * 1000000L;

        /// <summary>The lock after <see cref="MaxWrongPins"/> wrong PINs lasts this long, µs (900 s).</summary>
        public const long LockMicros = 900L * 1000000L;

        /// <summary>Wrong PINs in a row that start the lock.</summary>
        public const int MaxWrongPins = 5;

        /// <summary><see cref="TryAuth"/> result: the PIN was right; a session started.</summary>
        public const int Granted = 0;
        /// <summary><see cref="TryAuth"/> result: wrong PIN (403).</summary>
        public const int WrongPin = 1;
        /// <summary><see cref="TryAuth"/> result: AUTH is locked (429).</summary>
        public const int Locked = 2;

        private const int FormatVersion = 1;
        private static readonly char[] DefaultPin = new char[] { '0', '0', '0', '0' };

        private long _pinHash;
        private int _wrongPins;
        private long _lockUntilMicros;
        private bool _sessionActive;
        private long _lastRequestMicros;

        /// <summary>Creates the factory state: PIN 0000, no lock, no session.</summary>
        public Auth()
        {
            _pinHash = Hash(DefaultPin, DefaultPin.Length);
        }

        /// <summary>True while the PIN is the factory default 0000.</summary>
        public bool IsDefaultPin
        {
            get { return _pinHash == Hash(DefaultPin, DefaultPin.Length); }
        }

        /// <summary>Wrong PINs in a row so far (0..5).</summary>
        public int WrongPins { get { return _wrongPins; } }

        /// <summary>Device-timeline µs at which the lock ends (0 = never locked).</summary>
        public long LockUntilMicros { get { return _lockUntilMicros; } }

        /// <summary>Records a request at <paramref name="nowMicros"/>; a session idle for
        /// <see cref="SessionMicros"/> or more ends before the request is considered.</summary>
        public void OnRequest(long nowMicros)
        {
            if (_sessionActive && nowMicros - _lastRequestMicros >= SessionMicros)
            {
                _sessionActive = false;
            }
            _lastRequestMicros = nowMicros;
        }

        /// <summary>True while a session is open (call <see cref="OnRequest"/> first).</summary>
        public bool IsAuthorized { get { return _sessionActive; } }

        /// <summary>Seconds of lock left at <paramref name="nowMicros"/>, rounded up; 0 when not locked.</summary>
        public long LockRemainingSeconds(long nowMicros)
        {
            if (_wrongPins < MaxWrongPins || nowMicros >= _lockUntilMicros) return 0;
            return (_lockUntilMicros - nowMicros + 999999) / 1000000;
        }

        /// <summary>Checks a PIN (4..8 digits, already validated).</summary>
        /// <returns><see cref="Granted"/>, <see cref="WrongPin"/> or <see cref="Locked"/>.</returns>
        public int TryAuth(char[] pin, int length, long nowMicros)
        {
            if (_wrongPins >= MaxWrongPins)
            {
                if (nowMicros < _lockUntilMicros) return Locked;
                // The lock has run out: a fresh set of attempts.
                _wrongPins = 0;
            }
            if (Hash(pin, length) == _pinHash)
            {
                _wrongPins = 0;
                _sessionActive = true;
                _lastRequestMicros = nowMicros;
                return Granted;
            }
            _wrongPins++;
            if (_wrongPins >= MaxWrongPins)
            {
                _lockUntilMicros = nowMicros + LockMicros;
                _sessionActive = false;
            }
            return WrongPin;
        }

        /// <summary>Attempts left before the lock (after a wrong PIN: 4, 3, 2, 1, 0).</summary>
        public int AttemptsLeft { get { return _wrongPins >= MaxWrongPins ? 0 : MaxWrongPins - _wrongPins; } }

        /// <summary>Ends the session (LOGOUT).</summary>
        public void Logout()
        {
            _sessionActive = false;
        }

        /// <summary>Sets a new PIN (4..8 digits, already validated).</summary>
        public void SetPin(char[] pin, int length)
        {
            _pinHash = Hash(pin, length);
        }

        /// <summary>Writes the persistent part: PIN hash, wrong-PIN count, lock end.</summary>
        public void Save(StateWriter writer)
        {
            writer.WriteInt(FormatVersion);
            writer.WriteLong(_pinHash);
            writer.WriteInt(_wrongPins);
            writer.WriteLong(_lockUntilMicros);
        }

        /// <summary>Reads what <see cref="Save"/> wrote; the session stays closed.</summary>
        /// <returns>false (state unchanged) when malformed.</returns>
        public bool Load(StateReader reader)
        {
            int version = reader.ReadInt();
            long hash = reader.ReadLong();
            int wrong = reader.ReadInt();
            long lockUntil = reader.ReadLong();
            if (reader.Failed || version != FormatVersion || wrong < 0 || wrong > MaxWrongPins)
            {
                reader.Fail();
                return false;
            }
            _pinHash = hash;
            _wrongPins = wrong;
            _lockUntilMicros = lockUntil;
            _sessionActive = false;
            return true;
        }

        /// <summary>Puts a session back as it was (a request rolled back after its change could not be stored;
        /// <see cref="Load"/> closes the session).</summary>
        public void RestoreSession(bool active)
        {
            _sessionActive = active;
        }

        /// <summary>Salted FNV-1a over the digits, then a 64-bit finaliser (splitmix64) so that
        /// neighbouring PINs give unrelated values. Same result on the ESP32 and the host.</summary>
        public static long Hash(char[] pin, int length)
        {
            const string Salt = "PumpFirmware/PIN/v1";
            ulong h = 14695981039346656037UL;
            for (int i = 0; i < Salt.Length; i++)
            {
                h = (h ^ (byte)Salt[i]) * 1099511628211UL;
            }
            h = (h ^ (byte)length) * 1099511628211UL;
            for (int i = 0; i < length; i++)
            {
                h = (h ^ (byte)pin[i]) * 1099511628211UL;
            }
            h ^= h >> 30;
            h *= 0xBF58476D1CE4E5B9UL;
            h ^= h >> 27;
            h *= 0x94D049BB133111EBUL;
            h ^= h >> 31;
            return (long)h;
        }
    }
}
