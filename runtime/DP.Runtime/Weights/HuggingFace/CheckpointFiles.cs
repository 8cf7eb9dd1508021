using System.Collections;
using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DP.Runtime.Weights.HuggingFace;

/// <summary>
/// The weight files of a Hugging Face model folder, in the order transformers prefers them: model.safetensors,
/// model.safetensors.index.json (shards), pytorch_model.bin, pytorch_model.bin.index.json. File formats are read
/// by TorchSharp.PyBridge (safetensors and the torch.save zip/pickle format); this class only finds the files.
/// </summary>
public sealed class CheckpointFiles
{
    public const string SafetensorsFile = "model.safetensors";
    public const string SafetensorsIndexFile = "model.safetensors.index.json";
    public const string PickleFile = "pytorch_model.bin";
    public const string PickleIndexFile = "pytorch_model.bin.index.json";

    /// <summary>Weight files (full paths) in reading order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>For sharded checkpoints: tensor name → shard path, as the index file states; null otherwise.</summary>
    public IReadOnlyDictionary<string, string>? WeightMap { get; }

    /// <summary>The index file, when sharded.</summary>
    public string? IndexFile { get; }

    private CheckpointFiles(IReadOnlyList<string> files, IReadOnlyDictionary<string, string>? weightMap, string? indexFile)
    {
        Files = files;
        WeightMap = weightMap;
        IndexFile = indexFile;
    }

    public static CheckpointFiles Find(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Model folder not found: {folder}");
        foreach (var (single, index) in new[] { (SafetensorsFile, SafetensorsIndexFile), (PickleFile, PickleIndexFile) })
        {
            var singlePath = Path.Combine(folder, single);
            if (File.Exists(singlePath)) return new CheckpointFiles([singlePath], null, null);
            var indexPath = Path.Combine(folder, index);
            if (File.Exists(indexPath)) return FromIndex(folder, indexPath);
        }
        throw new FileNotFoundException(
            $"No weights in '{folder}': expected {SafetensorsFile}, {SafetensorsIndexFile}, {PickleFile} or {PickleIndexFile}.");
    }

    private static CheckpointFiles FromIndex(string folder, string indexPath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(indexPath));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{indexPath}: line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{indexPath}: field 'weight_map' (an object of tensor name → shard file) is missing.");
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            var files = new List<string>();
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{indexPath}: field 'weight_map.{entry.Name}' must be a file name.");
                var shard = entry.Value.GetString()!;
                if (shard.Contains('/') || shard.Contains('\\') || shard is "." or "..")
                    throw new InvalidDataException($"{indexPath}: field 'weight_map.{entry.Name}' names '{shard}', which is not a file in the folder.");
                var path = Path.Combine(folder, shard);
                if (!File.Exists(path))
                    throw new FileNotFoundException($"{indexPath}: shard '{shard}' (holding {entry.Name}) does not exist.", path);
                weightMap[entry.Name] = path;
                if (!files.Contains(path)) files.Add(path);
            }
            return new CheckpointFiles(files, weightMap, indexPath);
        }
    }

    /// <summary>
    /// The names of every tensor of the checkpoint, without reading their values: a sharded checkpoint's index, a
    /// safetensors file's header, a pickle's entries (PyBridge skipping the tensor data). Lets a loader decide which
    /// optional parts (a pooler, a masked-LM head) to build before it loads strictly.
    /// </summary>
    public IReadOnlySet<string> TensorNames()
    {
        if (WeightMap is { } map) return map.Keys.ToHashSet(StringComparer.Ordinal);
        var path = Files[0];
        try
        {
            return path.EndsWith(".safetensors", StringComparison.Ordinal) ? SafetensorsHeaderNames(path) : PickleNames(path);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or WeightLoadException))
        {
            throw new WeightLoadException(path, null, $"cannot read the tensor names ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    // Hand-written: PyBridge reads safetensors only whole. The format: an 8-byte little-endian header length, then a
    // JSON object of tensor name → {dtype, shape, data_offsets} plus an optional "__metadata__" entry.
    private static HashSet<string> SafetensorsHeaderNames(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> size = stackalloc byte[8];
        stream.ReadExactly(size);
        long length = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(size);
        if (length <= 0 || length > stream.Length - 8) throw new InvalidDataException($"the header length {length} does not fit the file.");
        var header = new byte[length];
        stream.ReadExactly(header);
        using var doc = JsonDocument.Parse(header);
        return doc.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToHashSet(StringComparer.Ordinal);
    }

    private static HashSet<string> PickleNames(string path)
    {
        using var stream = File.OpenRead(path);
        var table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true, skipTensorRead: true);
        return table.Keys.Cast<object>().Select(k => k.ToString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Reads every tensor of one weight file onto the CPU (name → tensor, in the file's dtype).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.Ordinal))
                return Safetensors.LoadStateDict(path);
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Value is Tensor t) result[(string)entry.Key] = t;
                else throw new WeightLoadException(path, entry.Key.ToString(), $"entry '{entry.Key}' is not a tensor.");
            }
            return result;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or WeightLoadException))
        {
            throw new WeightLoadException(path, null, $"cannot read the weights ({e.GetType().Name}: {e.Message}).", e);
        }
    }
}
