import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { AnalyticsService } from './analytics.service';
import { parseIsoMoment } from '../common/iso-date';
import { CleanupRequestDto, CleanupResponseDto, SessionStatsResponseDto, UsagePointDto, UsageQueryDto, UsageResponseDto } from './dto/analytics.dto';
import { UpkeepService } from './upkeep.service';
import { UsagePoint, UsageService } from './usage.service';

@ApiTags('analytics')
@ApiErrors(401, 403, 429)
@AdminOnly()
@Controller()
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly upkeep: UpkeepService,
    private readonly usage: UsageService,
  ) {}

  /** Totals, recent activity, and activity by hour of day and by day over the last 30 days, for every user. Admins only. */
  @Get('session_stats')
  @ApiOperation({ summary: 'Session statistics' })
  @ApiOkResponse({ type: SessionStatsResponseDto })
  async stats(): Promise<SessionStatsResponseDto> {
    const s = await this.analytics.stats();
    return {
      stats: {
        total_sessions: s.totalSessions,
        total_messages: s.totalMessages,
        recent_sessions_24h: s.recentSessions24h,
        active_sessions: s.activeSessions,
        avg_messages_per_session: s.avgMessagesPerSession,
        messages_by_hour: s.messagesByHour,
        sessions_by_day: s.sessionsByDay.map((d) => ({ date: d.date, sessions: d.sessions, messages: d.messages })),
      },
    };
  }

  /** Deletes every session idle for more than `days_old` days, with its messages; `dry_run` only counts. Every user's sessions; admins only. */
  @Post('cleanup_sessions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete old sessions' })
  @ApiOkResponse({ type: CleanupResponseDto })
  @ApiErrors(400, 415)
  async cleanup(@Body() body: CleanupRequestDto): Promise<CleanupResponseDto> {
    const result = await this.upkeep.cleanup(body.days_old, body.dry_run);
    return { deleted_count: result.deletedCount, days_old: result.daysOld, dry_run: result.dryRun };
  }

  /**
   * Usage by hour or UTC day: turns, new sessions, active users, model calls, errors and latency
   * (mean and p95), tokens in and out, and the mean sentiment of human messages. Every bucket of the
   * range is listed, oldest first. `from` and `to` name moments; a bare date stands for its whole
   * day. Admins only.
   */
  @Get('analytics/usage')
  @ApiOperation({ summary: 'Usage series' })
  @ApiOkResponse({ type: UsageResponseDto })
  @ApiErrors(400)
  async usageSeries(@Query() query: UsageQueryDto): Promise<UsageResponseDto> {
    const from = query.from === undefined ? undefined : parseIsoMoment(query.from)!.at;
    const to = query.to === undefined ? undefined : lastInstant(query.to);
    const series = await this.usage.series({ from, to, granularity: query.granularity });
    return { granularity: series.granularity, from: series.from.toISOString(), to: series.to.toISOString(), series: series.points.map(toPointDto) };
  }
}

/** The last instant `to` names: a bare date stands for its whole day. */
function lastInstant(text: string): Date {
  const moment = parseIsoMoment(text)!;
  return moment.dateOnly ? new Date(moment.at.getTime() + 86_400_000 - 1) : moment.at;
}

function toPointDto(p: UsagePoint): UsagePointDto {
  return {
    start: p.start.toISOString(),
    turns: p.turns,
    new_sessions: p.newSessions,
    active_users: p.activeUsers,
    model_calls: p.modelCalls,
    model_errors: p.modelErrors,
    avg_latency_ms: p.avgLatencyMs,
    p95_latency_ms: p.p95LatencyMs,
    tokens_in: p.tokensIn,
    tokens_out: p.tokensOut,
    avg_sentiment: p.avgSentiment,
    scored_messages: p.scoredMessages,
  };
}
