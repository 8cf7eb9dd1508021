using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Tokenization;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DP.Runtime.Weights.HuggingFace;

/// <summary>A backbone read from a Hugging Face folder, with its tokenizer and what the strict load did.</summary>
public sealed record HuggingFaceModel(string Folder, IPromptableBackbone Backbone, ITextTokenizer Tokenizer, WeightLoadReport LoadReport);

/// <summary>
/// Reads and writes Hugging Face model folders: config.json plus model.safetensors (or sharded safetensors with
/// model.safetensors.index.json, or pytorch_model.bin). The backbone family comes from config.json's model_type:
/// "t5" → <see cref="T5Model"/>, "bert" / "roberta" → <see cref="BertModel"/>. Weights load strictly by name
/// (see <see cref="StrictCheckpointLoader"/> and, for the tensors each family may ignore, <see cref="CheckpointNaming"/>).
/// </summary>
public static class HuggingFaceFolder
{
    public const string ConfigFile = "config.json";

    /// <summary>model_type values this runtime can build.</summary>
    public static IReadOnlyList<string> SupportedModelTypes { get; } = ["t5", "bert", "roberta"];

    /// <summary>
    /// Loads a folder's backbone (see <see cref="LoadBackbone"/>) and its tokenizer (see <see cref="LoadTokenizer"/>).
    /// </summary>
    public static HuggingFaceModel Load(string folder, ScalarType dtype = ScalarType.Float32)
    {
        var tokenizer = LoadTokenizer(folder);
        var (backbone, report) = LoadBackboneWithReport(folder, dtype);
        return new HuggingFaceModel(folder, backbone, tokenizer, report);
    }

    /// <summary>Builds the backbone config.json describes, loads its weights strictly and moves it to <paramref name="dtype"/> (eval mode).</summary>
    public static IPromptableBackbone LoadBackbone(string folder, ScalarType dtype = ScalarType.Float32)
        => LoadBackboneWithReport(folder, dtype).Backbone;

    /// <summary><see cref="LoadBackbone"/>, also returning which tensors were loaded and which were deliberately ignored.</summary>
    public static (IPromptableBackbone Backbone, WeightLoadReport Report) LoadBackboneWithReport(string folder, ScalarType dtype = ScalarType.Float32)
    {
        var (modelType, json, configPath) = ReadConfig(folder);
        nn.Module module;
        CheckpointNaming naming;
        switch (modelType)
        {
            case "t5":
            {
                var config = T5Config.FromJson(json, configPath);
                module = new T5Model(config);
                naming = CheckpointNaming.T5(config.TieWordEmbeddings);
                break;
            }
            case "bert" or "roberta":
            {
                var config = ReadBertConfig(json, configPath);
                var parts = CheckpointNaming.BertPartsIn(CheckpointFiles.Find(folder).TensorNames());
                module = new BertModel(config, parts) { WeightSource = $"the model folder {folder}" };
                naming = CheckpointNaming.Bert(config.TieWordEmbeddings);
                break;
            }
            default:
                throw new NotSupportedException(
                    $"{configPath}: field 'model_type' is '{modelType}'; supported: {string.Join(", ", SupportedModelTypes)}.");
        }
        try
        {
            var report = StrictCheckpointLoader.Load(module, folder, naming);
            var backbone = (IPromptableBackbone)module;
            backbone.SetComputeDType(dtype);
            module.eval();
            return (backbone, report);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The tokenizer of a folder: T5 → spiece.model (extra_ids from tokenizer_config.json, else 100);
    /// BERT → vocab.txt (do_lower_case from tokenizer_config.json, else true). RoBERTa's byte-level BPE is not supported.
    /// </summary>
    public static ITextTokenizer LoadTokenizer(string folder)
    {
        var (modelType, _, configPath) = ReadConfig(folder);
        var settings = ReadTokenizerConfig(folder);
        switch (modelType)
        {
            case "t5":
            {
                int extraIds = 100;
                if (settings is { } s && s.Root.TryGetProperty("extra_ids", out var extra)
                    && (extra.ValueKind != JsonValueKind.Number || !extra.TryGetInt32(out extraIds) || extraIds < 0))
                    throw new InvalidDataException($"{s.Path}: field 'extra_ids' must be a non-negative integer.");
                return SentencePieceT5Tokenizer.FromFile(Path.Combine(folder, "spiece.model"), extraIds);
            }
            case "bert":
            {
                bool lowerCase = true;
                if (settings is { } s && s.Root.TryGetProperty("do_lower_case", out var lower))
                {
                    if (lower.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        throw new InvalidDataException($"{s.Path}: field 'do_lower_case' must be true or false.");
                    lowerCase = lower.GetBoolean();
                }
                var vocab = Path.Combine(folder, "vocab.txt");
                if (!File.Exists(vocab)) throw new FileNotFoundException($"{vocab} not found: a BERT folder needs its WordPiece vocabulary.", vocab);
                return WordPieceTextTokenizer.FromVocabFile(vocab, lowerCase);
            }
            default:
                throw new NotSupportedException($"{configPath}: the tokenizer of model_type '{modelType}' cannot be loaded from a folder; supported: t5, bert.");
        }
    }

    private static (JsonElement Root, string Path)? ReadTokenizerConfig(string folder)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: line 1: the file must hold a JSON object.");
            return (doc.RootElement.Clone(), path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="backbone"/> as a Hugging Face folder: config.json and model.safetensors in the
    /// backbone's current dtype, or shards of at most <paramref name="maxShardBytes"/> with
    /// model.safetensors.index.json. Existing weight files of the folder are replaced.
    /// </summary>
    public static void Save(IPromptableBackbone backbone, string folder, long? maxShardBytes = null)
    {
        JsonObject config;
        string architecture;
        Func<string, string>? rename = null;
        switch (backbone)
        {
            case T5Model t5:
                config = JsonNode.Parse(t5.Config.ToJson())!.AsObject();
                architecture = "T5ForConditionalGeneration";
                break;
            case BertModel bert:
                config = JsonNode.Parse(JsonSerializer.Serialize(bert.Config))!.AsObject();
                architecture = bert.Config.ModelType == "roberta" ? "RobertaModel" : bert.cls is null ? "BertModel" : "BertForMaskedLM";
                // BertForMaskedLM's layout: the encoder (and pooler) under bert., the head under cls.
                if (bert.cls is not null) rename = name => name.StartsWith("cls.", StringComparison.Ordinal) ? name : "bert." + name;
                break;
            default:
                throw new NotSupportedException($"Saving a {backbone.GetType().Name} as a Hugging Face folder is not supported.");
        }
        config["architectures"] = new JsonArray(architecture);
        config["torch_dtype"] = backbone.ComputeDType == ScalarType.BFloat16 ? "bfloat16" : "float32";
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ConfigFile), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        foreach (var stale in new[] { CheckpointFiles.SafetensorsFile, CheckpointFiles.SafetensorsIndexFile, CheckpointFiles.PickleFile, CheckpointFiles.PickleIndexFile })
            File.Delete(Path.Combine(folder, stale));
        foreach (var shard in Directory.GetFiles(folder, "model-*-of-*.safetensors")) File.Delete(shard);
        SaveWeights(backbone.Module, folder, maxShardBytes, rename);
    }

    /// <summary>Tokenizer files a folder may carry; <see cref="CopyTokenizerFiles"/> copies those present.</summary>
    public static IReadOnlyList<string> TokenizerFiles { get; } =
        ["spiece.model", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"];

    /// <summary>
    /// Copies the tokenizer files of <paramref name="fromFolder"/> into <paramref name="toFolder"/> (after
    /// <see cref="Save"/> of a fine-tuned backbone, so the new folder loads with <see cref="Load"/>). Returns the names copied.
    /// </summary>
    public static IReadOnlyList<string> CopyTokenizerFiles(string fromFolder, string toFolder)
    {
        if (!Directory.Exists(fromFolder)) throw new DirectoryNotFoundException($"Model folder not found: {fromFolder}");
        Directory.CreateDirectory(toFolder);
        var copied = new List<string>();
        foreach (var name in TokenizerFiles)
        {
            var source = Path.Combine(fromFolder, name);
            if (!File.Exists(source)) continue;
            File.Copy(source, Path.Combine(toFolder, name), overwrite: true);
            copied.Add(name);
        }
        if (copied.Count == 0)
            throw new FileNotFoundException($"No tokenizer files in '{fromFolder}': expected one of {string.Join(", ", TokenizerFiles)}.");
        return copied;
    }

    /// <summary>Writes a module's state dict as safetensors (one file, or shards plus an index), its names through <paramref name="rename"/>.</summary>
    public static void SaveWeights(nn.Module module, string folder, long? maxShardBytes = null, Func<string, string>? rename = null)
    {
        using var scope = NewDisposeScope();
        var state = module.state_dict()
            .Select(kv => (Name: rename?.Invoke(kv.Key) ?? kv.Key, Tensor: kv.Value.detach().cpu().contiguous()))
            .ToList();
        var shards = new List<List<(string Name, Tensor Tensor)>> { new() };
        long shardBytes = 0;
        foreach (var entry in state)
        {
            long bytes = entry.Tensor.NumberOfElements * entry.Tensor.ElementSize;
            if (maxShardBytes is { } max && shards[^1].Count > 0 && shardBytes + bytes > max)
            {
                shards.Add([]);
                shardBytes = 0;
            }
            shards[^1].Add(entry);
            shardBytes += bytes;
        }
        if (shards.Count == 1)
        {
            WriteSafetensors(Path.Combine(folder, CheckpointFiles.SafetensorsFile), shards[0]);
            return;
        }
        var weightMap = new JsonObject();
        for (int i = 0; i < shards.Count; i++)
        {
            var name = string.Format(CultureInfo.InvariantCulture, "model-{0:D5}-of-{1:D5}.safetensors", i + 1, shards.Count);
            WriteSafetensors(Path.Combine(folder, name), shards[i]);
            foreach (var (tensorName, _) in shards[i]) weightMap[tensorName] = name;
        }
        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = state.Sum(e => e.Tensor.NumberOfElements * e.Tensor.ElementSize) },
            ["weight_map"] = weightMap,
        };
        File.WriteAllText(Path.Combine(folder, CheckpointFiles.SafetensorsIndexFile), index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void WriteSafetensors(string path, List<(string Name, Tensor Tensor)> tensors)
    {
        using var stream = File.Create(path);
        Safetensors.SaveStateDict(stream, tensors.ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal));
    }

    /// <summary>config.json's model_type, its text and its path; a clear error when it is absent or malformed.</summary>
    public static (string ModelType, string Json, string Path) ReadConfig(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Model folder not found: {folder}");
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found: a Hugging Face model folder needs a config.json.", path);
        var json = File.ReadAllText(path);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: line 1: the file must hold a JSON object.");
            if (!doc.RootElement.TryGetProperty("model_type", out var type) || type.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{path}: field 'model_type' is missing; expected one of {string.Join(", ", SupportedModelTypes)}.");
            return (type.GetString()!, json, path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
    }

    private static BertConfig ReadBertConfig(string json, string path)
    {
        try
        {
            return BertConfig.FromJson(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}, field '{e.Path}': {e.Message}", e);
        }
    }
}
