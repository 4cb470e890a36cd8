// One host and one browser at a time: the machine running them is small, and screenshots are taken mid-flow.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
