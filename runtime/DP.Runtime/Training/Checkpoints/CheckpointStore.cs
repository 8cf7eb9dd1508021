using System.Security.Cryptography;
using System.Text.Json;
using DP.Runtime.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Training.Checkpoints;

/// <summary>
/// Writes and reads training checkpoints under a run's <c>checkpoints/</c> folder, one folder per step
/// (<c>step-000100/</c>) holding trainable.bin (the trainable tensors, by name), optimizer.bin (TorchSharp
/// optimizer state), rng.bin (the default generator) and state.json. A checkpoint is written into a temporary
/// folder and renamed into place, so a crash never leaves a half-written checkpoint under a real name.
/// </summary>
public sealed class CheckpointStore(string directory, int keep = 2)
{
    public const string TrainableFile = "trainable.bin", OptimizerFile = "optimizer.bin", RngFile = "rng.bin", StateFile = "state.json";
    private const string TempPrefix = ".tmp-";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Directory { get; } = directory;

    public static string FolderName(long step) => $"step-{step:D6}";

    /// <summary>The trainable tensors in a fixed order with their names (from the module) and groups.</summary>
    public static List<(TensorSignature Signature, Parameter Parameter)> Trainable(ITrainableModel model)
    {
        // Wrappers of one parameter have different handles; its storage address identifies it.
        var names = new Dictionary<(IntPtr, string), string>();
        foreach (var (name, p) in model.Module.named_parameters()) names.TryAdd(Identity(p), name);
        var list = new List<(TensorSignature, Parameter)>();
        foreach (var g in model.ParameterGroups)
            for (int i = 0; i < g.Parameters.Count; i++)
            {
                var p = g.Parameters[i];
                var name = names.TryGetValue(Identity(p), out var n) ? n : $"{g.Name}[{i}]";
                list.Add((new TensorSignature(name, g.Name, p.shape), p));
            }
        return list;
    }

    private static (IntPtr, string) Identity(Tensor p) => (StorageAddress(p), string.Join("x", p.shape) + "@" + p.storage_offset());

    // Some TorchSharp modules (Embedding) hand out a new wrapper per access, so wrapper handles differ for one
    // parameter; the native storage address does not. TorchSharp keeps that call internal, hence the import.
    [System.Runtime.InteropServices.DllImport("LibTorchSharp")]
    private static extern IntPtr THSStorage_data_ptr(IntPtr tensor);

    private static IntPtr StorageAddress(Tensor p)
    {
        try { return THSStorage_data_ptr(p.Handle); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return p.Handle; }
    }

    public string Save(CheckpointState state, ITrainableModel model, OptimizerHelper optimizer)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var final = Path.Combine(Directory, FolderName(state.Step));
        var temp = Path.Combine(Directory, $"{TempPrefix}{FolderName(state.Step)}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            var tensors = Trainable(model);
            state.Tensors = tensors.Select(t => t.Signature).ToList();
            WriteFile(Path.Combine(temp, TrainableFile), w =>
            {
                w.Write(tensors.Count);
                foreach (var (sig, p) in tensors)
                {
                    w.Write(sig.Name);
                    using var cpu = p.detach().cpu();
                    cpu.Save(w);
                }
            });
            WriteFile(Path.Combine(temp, OptimizerFile), optimizer.save_state_dict);
            WriteFile(Path.Combine(temp, RngFile), w =>
            {
                using var rng = Determinism.CaptureCpuState();
                rng.Save(w);
                // Then the model's own generators, by name.
                var own = model is IRandomStateOwner owner ? owner.SaveRandomState() : new Dictionary<string, Tensor>();
                w.Write(own.Count);
                foreach (var (name, st) in own.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    using var cpu = st.cpu();
                    w.Write(name);
                    w.Write(cpu.NumberOfElements);
                    cpu.Save(w);
                    st.Dispose();
                }
            });
            state.Sha256 = new[] { TrainableFile, OptimizerFile, RngFile }.ToDictionary(f => f, f => Hash(Path.Combine(temp, f)));
            using (var fs = new FileStream(Path.Combine(temp, StateFile), FileMode.CreateNew))
            {
                JsonSerializer.Serialize(fs, state, Json);
                fs.Flush(flushToDisk: true);
            }
            // The same step written again (a resumed run) replaces the old folder.
            AtomicFolder.Replace(temp, final);
        }
        catch
        {
            if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
            throw;
        }
        Prune(state.Step);
        return final;
    }

    /// <summary>The newest complete checkpoint folder, or null when there is none.</summary>
    public string? Latest()
    {
        if (!System.IO.Directory.Exists(Directory)) return null;
        return System.IO.Directory.GetDirectories(Directory, "step-*")
            .Where(d => File.Exists(Path.Combine(d, StateFile)) && long.TryParse(Path.GetFileName(d)["step-".Length..], out _))
            .OrderBy(d => long.Parse(Path.GetFileName(d)["step-".Length..]))
            .LastOrDefault();
    }

    /// <summary>
    /// A checkpoint named on the command line: a checkpoint folder itself, or a run folder or checkpoints folder
    /// (meaning its newest checkpoint).
    /// </summary>
    public static string Resolve(string path)
    {
        if (File.Exists(Path.Combine(path, StateFile))) return path;
        return new CheckpointStore(Path.Combine(path, Reporting.RunFolder.CheckpointsFolder)).Latest() ?? new CheckpointStore(path).Latest()
            ?? throw new CheckpointException($"--resume: '{path}' is not a checkpoint folder (no {StateFile}) and holds no checkpoints.");
    }

    /// <summary>
    /// Deletes the temporary folders that checkpoint writes killed mid-way (SIGKILL, power loss) left in
    /// <paramref name="directory"/>: those whose writing process no longer runs. Completed checkpoints are never touched.
    /// </summary>
    public static int RemoveAbandonedTemporaries(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (var dir in System.IO.Directory.GetDirectories(directory, TempPrefix + "step-*"))
        {
            // .tmp-step-000100-<pid>-<guid>
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length != 5 || !int.TryParse(parts[3], out var pid) || IsRunning(pid)) continue;
            System.IO.Directory.Delete(dir, recursive: true);
            removed++;
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads and verifies a checkpoint's state.json and file hashes, without touching the model.</summary>
    public static CheckpointState ReadState(string folder)
    {
        if (!System.IO.Directory.Exists(folder))
            throw new CheckpointException($"Checkpoint folder '{folder}' does not exist.");
        var statePath = Path.Combine(folder, StateFile);
        if (!File.Exists(statePath))
            throw new CheckpointException($"Checkpoint '{folder}' has no {StateFile}: it is incomplete or not a checkpoint.");
        CheckpointState? state;
        try
        {
            state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(statePath));
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{statePath}({(e.LineNumber ?? 0) + 1}): checkpoint state is corrupt: {e.Message}", e);
        }
        if (state is null) throw new CheckpointException($"{statePath}(1): checkpoint state is empty.");
        if (state.Format != CheckpointState.CurrentFormat)
            throw new CheckpointException($"{statePath}: field 'Format' is {state.Format}, this version reads format {CheckpointState.CurrentFormat}.");
        foreach (var f in new[] { TrainableFile, OptimizerFile, RngFile })
        {
            var path = Path.Combine(folder, f);
            if (!File.Exists(path)) throw new CheckpointException($"Checkpoint file '{path}' is missing.");
            if (!state.Sha256.TryGetValue(f, out var expected))
                throw new CheckpointException($"{statePath}: field 'Sha256' has no hash for {f}.");
            var actual = Hash(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new CheckpointException($"Checkpoint file '{path}' is corrupt: its SHA-256 is {actual}, {StateFile} recorded {expected}.");
        }
        return state;
    }

    /// <summary>Verifies a checkpoint against the model and optimizer, then loads tensors, optimizer state and RNG state.</summary>
    public static CheckpointState Load(string folder, ITrainableModel model, OptimizerHelper optimizer)
    {
        var state = ReadState(folder);
        var statePath = Path.Combine(folder, StateFile);
        if (state.Optimizer != optimizer.GetType().Name)
            throw new CheckpointException($"{statePath}: field 'Optimizer' is '{state.Optimizer}' but this run uses '{optimizer.GetType().Name}'.");
        LoadTensors(folder, state, model);
        try
        {
            using (var r = new BinaryReader(File.OpenRead(Path.Combine(folder, OptimizerFile))))
                optimizer.load_state_dict(r);
            using (var r = new BinaryReader(File.OpenRead(Path.Combine(folder, RngFile))))
            {
                using var rng = Determinism.CaptureCpuState();
                using var loaded = zeros_like(rng);
                loaded.Load(r);
                Determinism.RestoreCpuState(loaded);
                int count = r.ReadInt32();
                var own = new Dictionary<string, Tensor>();
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        var name = r.ReadString();
                        long n = r.ReadInt64();
                        var t = zeros([n], ScalarType.Byte);
                        own[name] = t;
                        t.Load(r);
                    }
                    if (count > 0)
                    {
                        if (model is not IRandomStateOwner owner)
                            throw new CheckpointException($"Checkpoint '{folder}' holds random-generator states ({string.Join(", ", own.Keys)}) that this model does not own.");
                        owner.LoadRandomState(own);
                    }
                }
                finally
                {
                    foreach (var t in own.Values) t.Dispose();
                }
            }
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"Checkpoint '{folder}' could not be loaded: {e.Message}", e);
        }
        return state;
    }

    /// <summary>Loads only the trainable weights and the model's extra state (evaluation, prediction).</summary>
    public static CheckpointState LoadWeights(string folder, ITrainableModel model)
    {
        var state = ReadState(folder);
        LoadTensors(folder, state, model);
        foreach (var (k, v) in state.ExtraState) model.ExtraState[k] = v;
        return state;
    }

    private static void LoadTensors(string folder, CheckpointState state, ITrainableModel model)
    {
        var statePath = Path.Combine(folder, StateFile);
        var expected = Trainable(model);
        if (state.Tensors.Count != expected.Count)
            throw new CheckpointException($"{statePath}: the checkpoint holds {state.Tensors.Count} trainable tensors, the model has {expected.Count} (different method or configuration?).");
        for (int i = 0; i < expected.Count; i++)
        {
            var (want, _) = expected[i];
            var got = state.Tensors[i];
            if (got.Name != want.Name || got.Group != want.Group || !got.Shape.SequenceEqual(want.Shape))
                throw new CheckpointException(
                    $"{statePath}: trainable tensor {i} is '{got.Name}' ({got.Group}) of shape [{string.Join(", ", got.Shape)}], " +
                    $"the model expects '{want.Name}' ({want.Group}) of shape [{string.Join(", ", want.Shape)}].");
        }
        try
        {
            using (var r = new BinaryReader(File.OpenRead(Path.Combine(folder, TrainableFile))))
            {
                int n = r.ReadInt32();
                if (n != expected.Count) throw new CheckpointException($"{Path.Combine(folder, TrainableFile)}: holds {n} tensors, expected {expected.Count}.");
                using var _ = no_grad();
                foreach (var (sig, p) in expected)
                {
                    var name = r.ReadString();
                    if (name != sig.Name) throw new CheckpointException($"{Path.Combine(folder, TrainableFile)}: found tensor '{name}' where '{sig.Name}' was expected.");
                    using var cpu = zeros(sig.Shape, p.dtype);
                    cpu.Load(r);
                    p.copy_(cpu);
                }
            }
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"Checkpoint '{folder}' could not be loaded: {e.Message}", e);
        }
    }

    private void Prune(long newest)
    {
        var old = System.IO.Directory.GetDirectories(Directory, "step-*")
            .Select(d => (d, ok: long.TryParse(Path.GetFileName(d)["step-".Length..], out var s), s))
            .Where(x => x.ok && x.s < newest)
            .OrderByDescending(x => x.s)
            .Skip(Math.Max(0, keep - 1));
        foreach (var (d, _, _) in old) System.IO.Directory.Delete(d, recursive: true);
    }

    private static void WriteFile(string path, Action<BinaryWriter> write)
    {
        using var fs = new FileStream(path, FileMode.CreateNew);
        using (var w = new BinaryWriter(fs, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(w);
            w.Flush();
        }
        fs.Flush(flushToDisk: true);
    }

    internal static string Hash(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }
}
