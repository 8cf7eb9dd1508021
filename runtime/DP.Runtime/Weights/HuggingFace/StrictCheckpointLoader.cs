using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Weights.HuggingFace;

/// <summary>
/// Fills every parameter and buffer of a module from a folder's weight files, strictly by name: each module tensor
/// must come from exactly one checkpoint tensor of the same shape; checkpoint tensors the module lacks are errors
/// unless the family's <see cref="CheckpointNaming"/> documents them as ignorable. All problems are collected and
/// reported together. Values are converted to the module's dtype and device. Shards are read one at a time.
/// </summary>
/// <remarks>On failure the module may hold a mix of loaded and initial values; discard it.</remarks>
public static class StrictCheckpointLoader
{
    /// <returns>The module names filled and the checkpoint tensors deliberately left unused (documented ignorable ones).</returns>
    public static WeightLoadReport Load(nn.Module module, string folder, CheckpointNaming naming)
    {
        var files = CheckpointFiles.Find(folder);
        var targets = module.state_dict();
        var loadedFrom = new Dictionary<string, string>(StringComparer.Ordinal); // module name → file
        var aliasFilled = new HashSet<string>(StringComparer.Ordinal);
        var aliasTargets = naming.Aliases
            .SelectMany(kv => kv.Value.Select(alias => (alias, target: kv.Key)))
            .ToDictionary(x => x.alias, x => x.target, StringComparer.Ordinal);
        var ignored = new List<string>();
        var missing = new List<TensorProblem>();
        var unexpected = new List<TensorProblem>();
        var misshaped = new List<TensorProblem>();

        using var noGrad = torch.no_grad();
        foreach (var file in files.Files)
        {
            var fileName = Path.GetFileName(file);
            var tensors = CheckpointFiles.Read(file);
            try
            {
                foreach (var (name, source) in tensors)
                {
                    if (files.WeightMap is { } map && (!map.TryGetValue(name, out var listed) || listed != file))
                    {
                        unexpected.Add(new TensorProblem(name, fileName,
                            $"present in this shard but {Path.GetFileName(files.IndexFile)} maps it to {(listed is null ? "no file" : Path.GetFileName(listed))}"));
                        continue;
                    }
                    var target = naming.Map(name);
                    if (target is null)
                    {
                        // A documented alias fills its target only while the target's own tensor has not been seen.
                        if (aliasTargets.TryGetValue(name, out var aliasOf) && targets.TryGetValue(aliasOf, out var aliased)
                            && !loadedFrom.ContainsKey(aliasOf) && !aliasFilled.Contains(aliasOf)
                            && aliased.shape.SequenceEqual(source.shape))
                        {
                            aliased.copy_(source);
                            aliasFilled.Add(aliasOf);
                        }
                        ignored.Add(name);
                        continue;
                    }
                    if (!targets.TryGetValue(target, out var destination))
                    {
                        unexpected.Add(new TensorProblem(name, fileName,
                            target == name ? "the model has no such tensor" : $"read as '{target}', which the model does not have"));
                        continue;
                    }
                    if (loadedFrom.TryGetValue(target, out var earlier))
                    {
                        unexpected.Add(new TensorProblem(name, fileName, $"a second tensor for '{target}' (first in {Path.GetFileName(earlier)})"));
                        continue;
                    }
                    if (!destination.shape.SequenceEqual(source.shape))
                    {
                        misshaped.Add(new TensorProblem(name, fileName,
                            $"the model expects [{string.Join(", ", destination.shape)}], the file holds [{string.Join(", ", source.shape)}]"));
                        loadedFrom[target] = file; // present, just wrong: not also "missing"
                        continue;
                    }
                    if (!torch.is_floating_point(source) && torch.is_floating_point(destination))
                    {
                        misshaped.Add(new TensorProblem(name, fileName, $"holds {source.dtype} values where the model expects floating point"));
                        loadedFrom[target] = file;
                        continue;
                    }
                    destination.copy_(source);
                    loadedFrom[target] = file;
                }
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }

        foreach (var name in targets.Keys)
        {
            if (loadedFrom.ContainsKey(name) || aliasFilled.Contains(name)) continue;
            string? shard = null;
            bool listed = files.WeightMap?.TryGetValue(name, out shard) == true;
            var where = listed ? Path.GetFileName(shard!) : string.Join(", ", files.Files.Select(Path.GetFileName));
            var detail = listed ? "listed in the index but absent from the shard" : "not in the checkpoint";
            missing.Add(new TensorProblem(name, where, detail));
        }
        if (missing.Count + unexpected.Count + misshaped.Count > 0)
            throw new CheckpointMismatchException(folder, missing, unexpected, misshaped);
        return new WeightLoadReport(folder, [.. targets.Keys], ignored);
    }
}
