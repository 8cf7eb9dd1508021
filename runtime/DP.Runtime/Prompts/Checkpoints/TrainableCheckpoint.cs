using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Checkpoints;

/// <summary>
/// Saves and loads only the trainable parameters of a module (state-dict names) as safetensors: for prompt methods
/// this is kilobytes. Loading is strict: a missing, unexpected or mis-shaped tensor is an error naming it.
/// </summary>
public static class TrainableCheckpoint
{
    public static IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> Trainable(nn.Module root) =>
        root.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();

    public static void Save(nn.Module root, string path) => Write(path, Trainable(root).ToDictionary(p => p.Name, p => (Tensor)p.Parameter));

    /// <summary>Writes tensors (any device) to a safetensors file.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var scope = NewDisposeScope();
        var cpu = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
        using var stream = File.Create(path);
        Safetensors.SaveStateDict(stream, cpu);
    }

    public static void Load(nn.Module root, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Prompt checkpoint '{path}' does not exist.", path);
        Dictionary<string, Tensor> saved;
        try { saved = Safetensors.LoadStateDict(path); }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"'{path}' is not a readable safetensors checkpoint: {e.Message}", e);
        }
        try
        {
            var expected = Trainable(root);
            var names = expected.Select(p => p.Name).ToHashSet();
            var unexpected = saved.Keys.Where(k => !names.Contains(k)).ToList();
            if (unexpected.Count > 0)
                throw new InvalidDataException($"'{path}' holds tensors this model does not train: {string.Join(", ", unexpected)}.");
            foreach (var (name, p) in expected)
            {
                if (!saved.TryGetValue(name, out var t))
                    throw new InvalidDataException($"'{path}' lacks tensor '{name}' [{string.Join(", ", p.shape)}].");
                if (!t.shape.SequenceEqual(p.shape))
                    throw new InvalidDataException($"'{path}': tensor '{name}' is [{string.Join(", ", t.shape)}], the model expects [{string.Join(", ", p.shape)}].");
            }
            using var _ = torch.no_grad();
            foreach (var (name, p) in expected) p.copy_(saved[name].to(p.dtype).to(p.device));
        }
        finally
        {
            foreach (var t in saved.Values) t.Dispose();
        }
    }
}
