import { isPathInScope } from '../agent-scope';
import { bool, obj, str } from '../event-data';
import { ExceptionRule } from './exception-rule';

// At `agent.action.performed`, the first that applies:
// 1. the gateway reported the action outside the task's scope (`withinScope: false`) and did
//    not block it (a blocked attempt is the control working, not an exception);
// 2. the action names a task the log holds, and the acting agent is not the one granted it;
// 3. a `file_write` of such a task wrote a path outside the task's granted `scope.paths` —
//    checked by the ledger itself, whatever the gateway reported.
export const agentOutsideScope: ExceptionRule = {
  id: 'agent-outside-scope',
  title: 'Agent acting outside its granted scope',
  evaluate({ entry, changes, task }) {
    if (entry.type !== 'agent.action.performed') return [];
    const d = entry.data;
    const agentId = str(obj(d, 'agent'), 'id');
    const kind = str(d, 'kind');
    const target = str(d, 'target');
    let reason: string | undefined;
    if (bool(d, 'withinScope') === false && str(d, 'outcome') !== 'blocked') {
      reason = `the gateway reported ${kind ?? 'an action'} on ${target ?? '?'} outside the granted scope and let it run`;
    } else if (task && agentId !== undefined && agentId !== task.agent.id) {
      reason = `${agentId} acted on task ${task.taskId}, which was granted to ${task.agent.id}`;
    } else if (task && kind === 'file_write' && target !== undefined && !isPathInScope(target, task.scope.paths)) {
      reason = `wrote ${target}, outside the paths task ${task.taskId} granted (${task.scope.paths.join(', ')})`;
    }
    if (reason === undefined) return [];
    const finding = {
      rule: 'agent-outside-scope' as const,
      reason,
      details: {
        agent: agentId ?? null,
        taskId: str(d, 'taskId') ?? null,
        kind: kind ?? null,
        target: target ?? null,
        granted: task?.scope.paths ?? null,
      },
    };
    return changes.length === 0 ? [finding] : changes.map((c) => ({ ...finding, changeId: c.changeId }));
  },
};
