// Facade of nanoFramework.TestFramework 3.0.77 (reference only; bodies throw null), for the
// device-tests gate. The package's optional message parameters carry
// [CallerArgumentExpression]; only the overloads the device tests call are mirrored.
using System;

namespace nanoFramework.TestFramework
{
    public sealed partial class Assert
    {
        public static void AreEqual(bool expected, bool actual, string message = "") { throw null; }

        public static void AreEqual(byte expected, byte actual, string message = "") { throw null; }

        public static void AreEqual(int expected, int actual, string message = "") { throw null; }

        public static void AreEqual(long expected, long actual, string message = "") { throw null; }

        public static void AreEqual(ulong expected, ulong actual, string message = "") { throw null; }

        public static void AreEqual(string expected, string actual, string message = "") { throw null; }

        public static void AreEqual(object expected, object actual, string message = "") { throw null; }

        public static void Contains(string expected, string value, string message = "") { throw null; }

        public static void StartsWith(string expected, string value, string message = "") { throw null; }

        public static void IsTrue(bool condition, string message = "") { throw null; }

        public static void IsFalse(bool condition, string message = "") { throw null; }

        public static void ThrowsException(Type exception, Action action, string message = "") { throw null; }
    }
}
