using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DP.Runtime.Sweeps.Cluster;
using YamlDotNet.Serialization;

namespace DP.Runtime.Sweeps.Kubernetes;

/// <summary>
/// The manifest of <c>sweep manifest --kubernetes</c>: an Indexed Job with one completion per trial, each pod running
/// <c>sweep run-trial $(JOB_COMPLETION_INDEX)</c> (the image's entrypoint is the experiment program) with the sweep
/// folder on a shared volume. A pod that is preempted or evicted gets SIGTERM, checkpoints and exits 130; the pod
/// failure policy does not count that as a failure, and the replacement pod resumes the trial.
/// </summary>
public static partial class KubernetesJob
{
    public const string DefaultMountPath = "/sweeps";

    /// <summary>Seconds a pod has between SIGTERM and SIGKILL: enough to finish a step and write a checkpoint.</summary>
    public const int GracePeriodSeconds = ClusterOptions.DefaultSignalSeconds;

    /// <param name="trials">Number of trials (completions; the index runs 0..trials-1).</param>
    public static string Format(string experiment, int trials, IReadOnlyList<string> trainArgs, ClusterOptions o)
    {
        var image = o.Image ?? throw new ArgumentException("a Kubernetes Job needs an image.");
        var claim = o.VolumeClaim ?? throw new ArgumentException("a Kubernetes Job of a sweep needs a volume claim.");
        var mount = o.MountPath ?? DefaultMountPath;
        var name = JobName(experiment);
        var labels = new Dictionary<string, object> { ["app.kubernetes.io/name"] = "dp-sweep", ["dp-sweep/experiment"] = name };
        var threads = o.Cpus ?? 1;
        var args = new List<string> { "sweep", "run-trial", "$(JOB_COMPLETION_INDEX)", "--experiment", experiment, "--output", mount };
        args.AddRange(trainArgs);
        args.AddRange(["--threads", threads.ToString(CultureInfo.InvariantCulture)]);

        var resources = new Dictionary<string, object>();
        if (o.Cpus is int cpus) resources["cpu"] = cpus.ToString(CultureInfo.InvariantCulture);
        if (o.Mem is { } mem) resources["memory"] = Memory(mem);
        var limits = new Dictionary<string, object>(resources);
        if (o.Gpus is { } gpus) limits["nvidia.com/gpu"] = GpuCount(gpus);
        var container = new Dictionary<string, object>
        {
            ["name"] = "trial",
            ["image"] = image,
            ["args"] = args,
            ["volumeMounts"] = new[] { new Dictionary<string, object> { ["name"] = "sweep", ["mountPath"] = mount } },
        };
        if (resources.Count > 0 || limits.Count > 0)
            container["resources"] = new Dictionary<string, object> { ["requests"] = resources, ["limits"] = limits };

        var job = new Dictionary<string, object>
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["labels"] = labels },
            ["spec"] = new Dictionary<string, object>
            {
                ["completionMode"] = "Indexed",
                ["completions"] = trials,
                ["parallelism"] = Math.Min(o.MaxParallel ?? trials, trials),
                ["backoffLimit"] = 2 * trials, // about two real failures per trial before the Job gives up
                ["podFailurePolicy"] = new Dictionary<string, object>
                {
                    // preemption, eviction, node drain: not the trial's fault; it checkpointed and resumes
                    ["rules"] = new[] { new Dictionary<string, object> { ["action"] = "Ignore", ["onPodConditions"] = new[] { new Dictionary<string, object> { ["type"] = "DisruptionTarget", ["status"] = "True" } } } },
                },
                ["template"] = new Dictionary<string, object>
                {
                    ["metadata"] = new Dictionary<string, object> { ["labels"] = labels },
                    ["spec"] = new Dictionary<string, object>
                    {
                        ["restartPolicy"] = "Never",
                        ["terminationGracePeriodSeconds"] = GracePeriodSeconds,
                        ["containers"] = new[] { container },
                        ["volumes"] = new[] { new Dictionary<string, object> { ["name"] = "sweep", ["persistentVolumeClaim"] = new Dictionary<string, object> { ["claimName"] = claim } } },
                    },
                },
            },
        };
        var header = new StringBuilder()
            .Append($"# {experiment} sweep: {trials} trials as a Kubernetes Indexed Job; written by 'sweep manifest --kubernetes'.\n")
            .Append($"# kubectl apply -f THIS_FILE; the sweep folder is {mount}/{Reporting.RunFolder.SafeName(experiment)}-sweep on volume claim {claim}.\n");
        var yaml = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build().Serialize(job);
        return header + yaml;
    }

    /// <summary>A DNS-1123 label from the experiment name: lower case, letters, digits and '-', at most 63 characters.</summary>
    public static string JobName(string experiment)
    {
        var name = NotDns().Replace(experiment.ToLowerInvariant(), "-").Trim('-');
        if (name.Length == 0) name = "dp";
        if (name.Length > 57) name = name[..57].TrimEnd('-');
        return name + "-sweep";
    }

    // Slurm sizes (K, M, G, T; no suffix is megabytes) as Kubernetes binary quantities.
    private static string Memory(string slurm) => char.IsAsciiDigit(slurm[^1]) ? slurm + "Mi" : slurm + "i";

    private static int GpuCount(string gpus)
        => gpus.Contains(':', StringComparison.Ordinal)
            ? throw new ArgumentException($"--gpus '{gpus}': Kubernetes takes a count (nvidia.com/gpu); choose the GPU type with the image or a node selector.")
            : int.Parse(gpus, CultureInfo.InvariantCulture);

    [GeneratedRegex("[^a-z0-9-]+")] private static partial Regex NotDns();
}
