import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { AnalyticsService } from './analytics.service';
import { CleanupRequestDto, CleanupResponseDto, SessionStatsResponseDto } from './dto/analytics.dto';
import { UpkeepService } from './upkeep.service';

@ApiTags('analytics')
@ApiErrors(401, 403, 429)
@AdminOnly()
@Controller()
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly upkeep: UpkeepService,
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
}
