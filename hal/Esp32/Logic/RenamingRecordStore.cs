// Why this exists: a power cut in the middle of rewriting a file must never leave a file that
// is half old, half new. Each record file is rewritten as:
//   1. write the new bytes to "rN.tmp" (flushed and closed);
//   2. if "rN.bin" exists, rename it to "rN.old";
//   3. rename "rN.tmp" to "rN.bin";
//   4. delete "rN.old".
// The tmp is only ever renamed after it is complete, and the old copy is only set aside after
// that, so every crash point leaves a state the next access repairs without guessing:
//   rN.bin present            - it is whole (old or new): delete any tmp and old;
//   no bin, rN.old present    - the cut fell between 2 and 3: the tmp is whole, rename it to bin
//                               (without a tmp, put the old copy back);
//   no bin, no old            - a first write was cut: a tmp may be partial, delete it.
// Appends go to rN.bin directly; the journal above (firmware/Core/Storage) checks every record
// it reads, so a cut append is detected there. Renames are separate steps because
// nanoFramework's File.Move refuses an existing destination; littlefs renames atomically.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>IRecordStore on a file system, rewriting files by write-then-rename.</summary>
    public sealed class RenamingRecordStore : IRecordStore
    {
        private readonly IFileSystem _fileSystem;
        private readonly string _root;

        /// <summary>Creates the store.</summary>
        /// <param name="fileSystem">Where the files live.</param>
        /// <param name="root">Folder prefix ending in a separator, e.g. "I:\\pump\\" or "/tmp/x/".</param>
        public RenamingRecordStore(IFileSystem fileSystem, string root)
        {
            if (fileSystem == null)
            {
                throw new System.ArgumentNullException("fileSystem");
            }

            if (root == null)
            {
                throw new System.ArgumentNullException("root");
            }

            _fileSystem = fileSystem;
            _root = root;
        }

        /// <summary>The path of file <paramref name="fileId"/>'s committed copy.</summary>
        public string DataPath(int fileId)
        {
            CheckId(fileId);
            return _root + "r" + fileId.ToString() + ".bin";
        }

        /// <summary>The path of file <paramref name="fileId"/>'s copy being written.</summary>
        public string TempPath(int fileId)
        {
            CheckId(fileId);
            return _root + "r" + fileId.ToString() + ".tmp";
        }

        /// <summary>The path of file <paramref name="fileId"/>'s previous copy, set aside during a rewrite.</summary>
        public string OldPath(int fileId)
        {
            CheckId(fileId);
            return _root + "r" + fileId.ToString() + ".old";
        }

        /// <inheritdoc />
        public int Read(int fileId, byte[] buffer)
        {
            if (buffer == null)
            {
                throw new System.ArgumentNullException("buffer");
            }

            Recover(fileId);
            return _fileSystem.ReadAll(DataPath(fileId), buffer);
        }

        /// <inheritdoc />
        public void Write(int fileId, byte[] buffer, int offset, int count)
        {
            CheckRange(buffer, offset, count);
            Recover(fileId);
            string data = DataPath(fileId);
            string temp = TempPath(fileId);
            string old = OldPath(fileId);
            _fileSystem.WriteNew(temp, buffer, offset, count);
            if (_fileSystem.Exists(data))
            {
                _fileSystem.Rename(data, old);
            }

            _fileSystem.Rename(temp, data);
            _fileSystem.Delete(old);
        }

        /// <inheritdoc />
        public void Append(int fileId, byte[] buffer, int offset, int count)
        {
            CheckRange(buffer, offset, count);
            Recover(fileId);
            _fileSystem.Append(DataPath(fileId), buffer, offset, count);
        }

        /// <inheritdoc />
        public void Delete(int fileId)
        {
            _fileSystem.Delete(DataPath(fileId));
            _fileSystem.Delete(TempPath(fileId));
            _fileSystem.Delete(OldPath(fileId));
        }

        /// <summary>Repairs what an interrupted <see cref="Write"/> left behind (see the file header).</summary>
        public void Recover(int fileId)
        {
            string data = DataPath(fileId);
            string temp = TempPath(fileId);
            string old = OldPath(fileId);
            if (_fileSystem.Exists(data))
            {
                _fileSystem.Delete(temp);
                _fileSystem.Delete(old);
                return;
            }

            if (_fileSystem.Exists(old))
            {
                if (_fileSystem.Exists(temp))
                {
                    _fileSystem.Rename(temp, data);
                    _fileSystem.Delete(old);
                }
                else
                {
                    _fileSystem.Rename(old, data);
                }

                return;
            }

            _fileSystem.Delete(temp);
        }

        private static void CheckId(int fileId)
        {
            if (fileId < 0)
            {
                throw new System.ArgumentOutOfRangeException("fileId");
            }
        }

        private static void CheckRange(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new System.ArgumentNullException("buffer");
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new System.ArgumentOutOfRangeException("count");
            }
        }
    }
}
