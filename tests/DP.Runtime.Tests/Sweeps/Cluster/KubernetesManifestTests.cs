using System.Text.Json;
using DP.Runtime.Sweeps.Cluster;
using DP.Runtime.Sweeps.Kubernetes;
using Json.Schema;
using Xunit;
using YamlDotNet.Serialization;

namespace DP.Runtime.Tests.Sweeps.Cluster;

/// <summary>
/// The Indexed Job of <c>sweep manifest --kubernetes</c>, checked against the Kubernetes batch/v1 Job schema
/// (assets/README.md says where it comes from) with JsonSchema.Net. There is no cluster here to apply it to.
/// </summary>
public class KubernetesManifestTests
{
    private static readonly Lazy<JsonSchema> JobSchema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sweeps", "Cluster", "assets", "kubernetes-job.schema.json"))));

    private static readonly ClusterOptions Options = new()
    {
        Image = "registry.example/dp-exp:1.0", VolumeClaim = "sweeps", MountPath = "/shared", MaxParallel = 2, Cpus = 4, Mem = "16G", Gpus = "1",
    };

    private static string Manifest(ClusterOptions? options = null)
        => KubernetesJob.Format("My Exp", 4, ["--max-steps", "4", "--set", "task.template=it's: {text}"], options ?? Options);

    /// <summary>The YAML as JSON, with YAML's own types (an unquoted 4 is a number, a quoted "4" a string).</summary>
    private static JsonElement Json(string yaml)
    {
        var value = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml);
        return JsonDocument.Parse(new SerializerBuilder().JsonCompatible().Build().Serialize(value)).RootElement.Clone();
    }

    private static string Errors(EvaluationResults results)
        => string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    private static EvaluationResults Validate(JsonElement json)
        => JobSchema.Value.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });

    [Fact]
    public void Manifest_is_a_valid_batch_v1_Job()
    {
        var results = Validate(Json(Manifest()));
        Assert.True(results.IsValid, Errors(results));
        // Without the optional resources and limit too.
        var plain = Validate(Json(Manifest(new ClusterOptions { Image = "exp", VolumeClaim = "runs" })));
        Assert.True(plain.IsValid, Errors(plain));
    }

    [Fact]
    public void The_schema_refuses_what_the_API_server_would()
    {
        // A misspelt field, a memory size in Slurm's spelling, a count as text: each is an error.
        foreach (var (from, to) in new[] { ("completionMode:", "completionsMode:"), ("memory: 16Gi", "memory: 16GB"), ("completions: 4", "completions: four") })
        {
            var yaml = Manifest();
            Assert.Contains(from, yaml, StringComparison.Ordinal);
            Assert.False(Validate(Json(yaml.Replace(from, to, StringComparison.Ordinal))).IsValid, $"{to} passed");
        }
    }

    [Fact]
    public void Job_runs_one_trial_per_completion_index_on_the_shared_volume()
    {
        var job = Json(Manifest());
        var spec = job.GetProperty("spec");
        Assert.Equal("Indexed", spec.GetProperty("completionMode").GetString());
        Assert.Equal(4, spec.GetProperty("completions").GetInt32());
        Assert.Equal(2, spec.GetProperty("parallelism").GetInt32());
        Assert.Equal("my-exp-sweep", job.GetProperty("metadata").GetProperty("name").GetString());
        var pod = spec.GetProperty("template").GetProperty("spec");
        Assert.Equal("Never", pod.GetProperty("restartPolicy").GetString());
        var container = pod.GetProperty("containers")[0];
        Assert.Equal("registry.example/dp-exp:1.0", container.GetProperty("image").GetString());
        Assert.Equal(["sweep", "run-trial", "$(JOB_COMPLETION_INDEX)", "--experiment", "My Exp", "--output", "/shared",
                "--max-steps", "4", "--set", "task.template=it's: {text}", "--threads", "4"],
            container.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("/shared", container.GetProperty("volumeMounts")[0].GetProperty("mountPath").GetString());
        Assert.Equal("sweeps", pod.GetProperty("volumes")[0].GetProperty("persistentVolumeClaim").GetProperty("claimName").GetString());
        var limits = container.GetProperty("resources").GetProperty("limits");
        Assert.Equal(("4", "16Gi", 1), (limits.GetProperty("cpu").GetString(), limits.GetProperty("memory").GetString(), limits.GetProperty("nvidia.com/gpu").GetInt32()));
        Assert.Contains("DisruptionTarget", spec.GetProperty("podFailurePolicy").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Names_become_DNS_labels_and_a_typed_gpu_is_refused()
    {
        Assert.Equal("fewglue-rte-v2-sweep", KubernetesJob.JobName("FewGLUE_RTE.v2"));
        Assert.True(KubernetesJob.JobName(new string('a', 100)).Length <= 63);
        Assert.Contains("Kubernetes takes a count", Assert.Throws<ArgumentException>(() => Manifest(Options with { Gpus = "a100:1" })).Message);
    }
}
