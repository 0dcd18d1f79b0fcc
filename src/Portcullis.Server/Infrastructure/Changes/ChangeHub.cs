namespace Portcullis.Server.Infrastructure.Changes;

/// <summary>
/// This process's waiters, one slot per watched topic and key shared by all its watchers; a wake completes and drops the
/// slot, so the next watch starts a fresh one. Slots live only while someone watches.
/// </summary>
public sealed class ChangeHub
{
    private readonly Dictionary<(string Topic, string Key), Slot> _slots = [];
    private readonly Lock _lock = new();

    /// <summary>Slots currently watched; for tests and diagnostics.</summary>
    public int Watched
    {
        get { lock (_lock) { return _slots.Count; } }
    }

    public ChangeWatch Watch(string topic, string key)
    {
        lock (_lock)
        {
            if (!_slots.TryGetValue((topic, key), out var slot))
            {
                slot = new Slot((topic, key));
                _slots[slot.Id] = slot;
            }

            slot.Watchers++;
            return new ChangeWatch(this, slot);
        }
    }

    public void Wake(string topic, string key)
    {
        Slot? slot;
        lock (_lock)
        {
            if (_slots.Remove((topic, key), out slot))
            {
                slot.Woken = true;
            }
        }

        slot?.Changed.TrySetResult();
    }

    /// <summary>Wakes every waiter, e.g. when notifications from other instances may have been missed: each re-reads once.</summary>
    public void WakeAll()
    {
        Slot[] all;
        lock (_lock)
        {
            all = [.. _slots.Values];
            _slots.Clear();
            foreach (var slot in all)
            {
                slot.Woken = true;
            }
        }

        foreach (var slot in all)
        {
            slot.Changed.TrySetResult();
        }
    }

    internal void Release(Slot slot)
    {
        lock (_lock)
        {
            // A woken slot has already left the table (and a new one may hold its place).
            if (--slot.Watchers == 0 && !slot.Woken)
            {
                _slots.Remove(slot.Id);
            }
        }
    }

    internal sealed class Slot((string Topic, string Key) id)
    {
        public (string Topic, string Key) Id { get; } = id;
        public TaskCompletionSource Changed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Watchers { get; set; }
        public bool Woken { get; set; }
    }
}
